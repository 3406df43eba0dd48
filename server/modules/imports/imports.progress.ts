// Progress of a CLI import on stderr: a bar redrawn in place on a terminal (bytes read of
// the file, rows per second, time left), or a plain line every few seconds when stderr is
// a file or CI (where redrawn lines would pile up).
export type ProgressIo = {
  /** stderr is an interactive terminal (and not CI): redraw one line */
  isTty: boolean;
  /** writes text to stderr as is (the reporter adds \r and \n itself) */
  write(text: string): void;
  /** a result line on stdout */
  print(line: string): void;
};

const REDRAW_MS = 150;
const PLAIN_MS = 5_000;
const WIDTH = 28;

const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const clock = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}` : '--:--');

export function progressLine(total: number, bytes: number, rows: number, seconds: number, isTty: boolean): string {
  const share = total > 0 ? Math.min(1, bytes / total) : 0;
  const rate = seconds > 0 ? rows / seconds : 0;
  const eta = share > 0 ? (seconds / share) * (1 - share) : Infinity;
  const figures = `${(share * 100).toFixed(0).padStart(3)}% ${mib(bytes)}/${mib(total)} MiB, ${rows.toLocaleString('en-GB')} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s, ETA ${clock(eta)}`;
  if (!isTty) return `import: ${figures}`;
  const filled = Math.round(share * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${figures}`;
}

export function progressReporter(total: number, io: ProgressIo, now: () => number = () => performance.now()) {
  const started = now();
  let last = started;
  let latest = { bytes: 0, rows: 0 };
  const line = () => progressLine(total, latest.bytes, latest.rows, (now() - started) / 1000, io.isTty);
  return {
    update(bytes: number, rows: number) {
      latest = { bytes, rows };
      const t = now();
      if (t - last < (io.isTty ? REDRAW_MS : PLAIN_MS)) return;
      last = t;
      io.write(io.isTty ? `\r${line()}\u001b[K` : `${line()}\n`);
    },
    done() {
      io.write(io.isTty ? `\r${line()}\u001b[K\n` : `${line()}\n`);
    },
  };
}
