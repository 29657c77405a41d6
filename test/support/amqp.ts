import { type Channel, connect } from "amqplib";
import { queueNames } from "../../src/lib/jobs";
import { brokerTopology } from "../../src/platform/amqp";

/** TEST_AMQP_URL (e.g. amqp://guest:guest@127.0.0.1:5672) runs the jobs through RabbitMQ. */
export const testAmqpUrl = process.env.TEST_AMQP_URL;

/** Deletes the exchanges and queues a test app (or a bench) declared under `prefix`. */
export async function deleteTestTopology(
  prefix: string,
  retryDelaysMs: readonly number[],
  url = testAmqpUrl,
) {
  if (!url) return;
  const t = brokerTopology(prefix);
  const connection = await connect(url);
  // A failed delete closes its channel: one channel per delete, so the rest still go.
  const attempt = async (remove: (channel: Channel) => Promise<unknown>) => {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    await remove(channel).catch(() => {});
    await channel.close().catch(() => {});
  };
  try {
    for (const queue of queueNames) {
      await attempt((ch) => ch.deleteQueue(t.workQueue(queue)));
      await attempt((ch) => ch.deleteQueue(t.deadQueue(queue)));
      for (const delay of new Set(retryDelaysMs))
        await attempt((ch) => ch.deleteQueue(t.retryQueue(queue, delay)));
    }
    await attempt((ch) => ch.deleteExchange(t.exchange));
    await attempt((ch) => ch.deleteExchange(t.deadExchange));
  } finally {
    await connection.close();
  }
}
