import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Seconds; requests are mostly a few milliseconds, uploads and reports take longer. */
const REQUEST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds; thumbnails take a fraction of a second, plans and AI calls up to minutes. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600];

/** What a gauge read at scrape time reports: one value per label set. */
export type GaugeReading = { labels: Record<string, string>; value: number }[];

/**
 * Prometheus metrics of one process, in a registry of its own (tests run many apps in one
 * process). Counters on the hot path are a single histogram observation; everything that
 * needs a query (queue depth, outbox, connections) is read when Prometheus scrapes.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** One per answered request, labelled with the route template, never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** One per job run that ended (succeeded, failed, retry, lost, or error when recording failed). */
  observeJob(kind: string, outcome: string, seconds: number): void;
  /** Counts an open job event stream; call the answer when it closes. */
  trackEventStream(): () => void;
  /**
   * A gauge whose values `read` produces at each scrape; a name already registered is
   * kept (a second runtime in the same process reads the same table).
   */
  gaugeOnScrape(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: () => Promise<GaugeReading>,
  ): void;
  /** The exposition text. */
  render(): Promise<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const requests = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by method, route template and status: duration in seconds (_count is the request count).",
    labelNames: ["method", "route", "status"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const failedReads = new Counter({
    name: "metrics_gauge_read_errors_total",
    help: "Scrape-time gauge reads that failed (e.g. the database was unreachable); the gauge is left empty.",
    labelNames: ["gauge"],
    registers: [registry],
  });
  const jobs = new Histogram({
    name: "jobs_duration_seconds",
    help: "Job runs by kind and outcome: duration in seconds (_count is the run count).",
    labelNames: ["kind", "outcome"],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const streams = new Gauge({
    name: "job_event_streams_open",
    help: "Job event streams (SSE) open now; one that outlives its client would show here.",
    registers: [registry],
  });
  return {
    registry,
    contentType: registry.contentType,
    trackEventStream() {
      streams.inc();
      let open = true;
      return () => {
        if (open) streams.dec();
        open = false;
      };
    },
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status }, seconds);
    },
    observeJob(kind, outcome, seconds) {
      jobs.observe({ kind, outcome }, seconds);
    },
    gaugeOnScrape(name, help, labelNames, read) {
      if (registry.getSingleMetric(name)) return;
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          let readings: GaugeReading;
          try {
            readings = await read();
          } catch {
            failedReads.inc({ gauge: name });
            return;
          }
          for (const { labels, value } of readings) this.set(labels, value);
        },
      });
    },
    render: () => registry.metrics(),
  };
}

/** CPU, memory, event-loop lag and heap of this process (the long-running processes only). */
export function collectProcessMetrics(metrics: Metrics) {
  collectDefaultMetrics({ register: metrics.registry });
}
