// N API processes sharing one port, for bench:part (BENCH_API_PROCESSES=N): node:cluster
// workers each run src/main.ts; on Linux Bun gives cluster workers' node:http listeners
// SO_REUSEPORT, so the kernel spreads connections over them. SIGTERM stops every worker.
import cluster from "node:cluster";

if (cluster.isPrimary) {
  const count = Number(process.env.API_PROCESSES ?? 2);
  const workers = Array.from({ length: count }, () => cluster.fork());
  process.on("SIGTERM", async () => {
    await Promise.all(
      workers.map((worker) => {
        const exited = new Promise((done) => worker.once("exit", done));
        worker.kill("SIGTERM");
        return exited;
      }),
    );
    process.exit(0);
  });
} else {
  await import("../src/main");
}
