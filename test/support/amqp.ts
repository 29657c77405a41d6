import { connect } from "amqplib";
import { queueNames } from "../../src/lib/jobs";
import { brokerTopology } from "../../src/platform/amqp";

/** TEST_AMQP_URL (e.g. amqp://guest:guest@127.0.0.1:5672) runs the jobs through RabbitMQ. */
export const testAmqpUrl = process.env.TEST_AMQP_URL;

/** Deletes the exchanges and queues a test app declared under `prefix`. */
export async function deleteTestTopology(prefix: string, retryDelaysMs: readonly number[]) {
  if (!testAmqpUrl) return;
  const t = brokerTopology(prefix);
  const connection = await connect(testAmqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queueNames) {
      await channel.deleteQueue(t.workQueue(queue));
      await channel.deleteQueue(t.deadQueue(queue));
      for (const delay of retryDelaysMs) await channel.deleteQueue(t.retryQueue(queue, delay));
    }
    await channel.deleteExchange(t.exchange);
    await channel.deleteExchange(t.deadExchange);
  } finally {
    await connection.close();
  }
}
