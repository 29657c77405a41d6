import { type ChannelModel, type ConfirmChannel, connect } from "amqplib";
import type { Logger } from "./logger";

/** Names of the exchanges and queues under one prefix (tests use a prefix each). */
export interface BrokerTopology {
  /** Direct exchange: routing key = queue name (`media`, `ai`, `plans`). */
  readonly exchange: string;
  /** Where poison and over-delivered messages go, routed by queue name. */
  readonly deadExchange: string;
  workQueue(queue: string): string;
  deadQueue(queue: string): string;
  retryQueue(queue: string, delayMs: number): string;
}

export function brokerTopology(prefix: string): BrokerTopology {
  return {
    exchange: `${prefix}.jobs`,
    deadExchange: `${prefix}.dead`,
    workQueue: (queue) => `${prefix}.${queue}`,
    deadQueue: (queue) => `${prefix}.${queue}.dead`,
    retryQueue: (queue, delayMs) => `${prefix}.${queue}.retry.${delayMs}ms`,
  };
}

export interface BrokerOptions {
  prefix: string;
  queues: readonly string[];
  /** Deliveries of one message before it is dead-lettered (RabbitMQ 3.10 has no default). */
  deliveryLimit: number;
  retryDelaysMs: readonly number[];
  logger: Logger;
  /** Runs after every (re)connect, after the topology: consumers go here. */
  onConnect?: (model: ChannelModel) => Promise<void>;
}

export interface Broker {
  readonly topology: BrokerTopology;
  isConnected(): boolean;
  /** The confirm channel of the current connection; undefined while disconnected. */
  publisher(): ConfirmChannel | undefined;
  close(): Promise<void>;
}

const quorum = { "x-queue-type": "quorum" };

/**
 * Declares the topology: a durable quorum queue per workload with an explicit delivery
 * limit and at-least-once dead-lettering (which needs `reject-publish` overflow), a dead
 * queue per workload, and per retry delay a queue whose messages expire back into the
 * work exchange — delayed retries without the delayed-message plugin.
 */
async function declareTopology(model: ChannelModel, options: BrokerOptions) {
  const t = brokerTopology(options.prefix);
  const ch = await model.createChannel();
  await ch.assertExchange(t.exchange, "direct", { durable: true });
  await ch.assertExchange(t.deadExchange, "direct", { durable: true });
  for (const queue of options.queues) {
    await ch.assertQueue(t.deadQueue(queue), { durable: true, arguments: quorum });
    await ch.bindQueue(t.deadQueue(queue), t.deadExchange, queue);
    await ch.assertQueue(t.workQueue(queue), {
      durable: true,
      arguments: {
        ...quorum,
        "x-delivery-limit": options.deliveryLimit,
        "x-dead-letter-exchange": t.deadExchange,
        "x-dead-letter-routing-key": queue,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
      },
    });
    await ch.bindQueue(t.workQueue(queue), t.exchange, queue);
    for (const delayMs of new Set(options.retryDelaysMs)) {
      await ch.assertQueue(t.retryQueue(queue, delayMs), {
        durable: true,
        arguments: {
          ...quorum,
          "x-message-ttl": delayMs,
          "x-dead-letter-exchange": t.exchange,
          "x-dead-letter-routing-key": queue,
          "x-dead-letter-strategy": "at-least-once",
          "x-overflow": "reject-publish",
        },
      });
    }
  }
  await ch.close();
}

/**
 * A RabbitMQ connection that recovers by itself (amqplib's `recovery`): after every
 * reconnect it declares the topology again, opens a new confirm channel for publishing
 * and calls `onConnect` to start consumers. Publishes made while it is down are not
 * buffered — the jobs table is the outbox, so nothing is lost.
 */
export async function openBroker(url: string, options: BrokerOptions): Promise<Broker> {
  const { logger } = options;
  let publisher: ConfirmChannel | undefined;
  let connected = false;
  let closing = false;
  let settingUp: Promise<void> | undefined;
  const setup = async (model: ChannelModel) => {
    // The recovering wrapper reconnects; an error of this connection must not throw.
    model.on("error", (error: Error) => logger.warn({ err: error }, "RabbitMQ connection error"));
    await declareTopology(model, options);
    const channel = await model.createConfirmChannel();
    channel.on("error", (error: Error) => logger.warn({ err: error }, "publish channel error"));
    channel.on("close", () => {
      if (publisher === channel) publisher = undefined;
    });
    publisher = channel;
    await options.onConnect?.(model);
  };
  const connection = await connect(url, {
    recovery: {
      initialDelay: 200,
      maxDelay: 5000,
      maxRetries: Number.POSITIVE_INFINITY,
      waitForConnect: false,
      setup: (model: ChannelModel) => {
        settingUp = setup(model);
        return settingUp;
      },
    },
  });
  connection.on("connect", () => {
    connected = true;
    logger.info("connected to RabbitMQ");
  });
  connection.on("disconnect", (error: Error) => {
    connected = false;
    publisher = undefined;
    if (!closing) logger.warn({ err: error }, "RabbitMQ connection lost; reconnecting");
  });
  connection.on("connect-failed", (error: Error) => {
    logger.warn({ err: error }, "RabbitMQ unreachable; retrying");
  });
  connection.on("error", (error: Error) => logger.warn({ err: error }, "RabbitMQ error"));
  connection.on("handler-error", (error: Error) => logger.error({ err: error }, "AMQP handler"));
  return {
    topology: brokerTopology(options.prefix),
    isConnected: () => connected && publisher !== undefined,
    publisher: () => publisher,
    async close() {
      closing = true;
      // Closing in the middle of declaring would leave queues half made (and deleting them
      // then crashed RabbitMQ 3.10's dead-letter workers): let the declarations finish.
      await settingUp?.catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
