/* Loggers and figures shared by the benchmarks. */

/** A logger that prints nothing (debug lines with BENCH_DEBUG=1) and hands debug metadata to `onDebug`. */
export function capturingLogger(
  onDebug?: (message: string, meta: any) => void,
): any {
  const logger: any = {
    error() {},
    warn() {},
    info() {},
    debug(message: string, meta?: object) {
      onDebug?.(message, meta);
      if (process.env.BENCH_DEBUG) console.log(message, JSON.stringify(meta));
    },
    child() {
      return logger;
    },
  };
  return logger;
}

export const quietLogger: any = capturingLogger();

/** The p-th percentile of an ascending list (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
