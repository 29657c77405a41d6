// The image's HEALTHCHECK: healthy when this container's process answers /health, on PORT
// (the API) or WORKER_METRICS_PORT (the worker). Kubernetes uses its own probes instead.
const ports = [process.env.PORT || "3000", process.env.WORKER_METRICS_PORT || "9091"];
const answers = await Promise.all(
  ports.map((port) =>
    fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.status === 200)
      .catch(() => false),
  ),
);
process.exit(answers.includes(true) ? 0 : 1);
