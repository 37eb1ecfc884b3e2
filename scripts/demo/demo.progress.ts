export interface DemoOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * A progress line: redrawn in place on a terminal (at most every 80 ms), plain lines at 25, 50
 * and 75 % otherwise, so logs and CI output stay readable.
 */
export class Progress {
  private lastDraw = 0;
  private lastQuarter = 0;

  constructor(private readonly out: DemoOutput) {}

  update(label: string, done: number, total: number, detail = ''): void {
    const line = `${label} ${done}/${total}${detail ? `  ${detail}` : ''}`;
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 80 && done < total) return;
      this.lastDraw = now;
      this.out.write(`\r\x1b[K${line}`);
      return;
    }
    const quarter = total ? Math.floor((done / total) * 4) : 4;
    if (quarter > this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.out.write(`${line}\n`);
    }
  }

  /** What is going on while there is nothing to count: replaced by the next line on a terminal. */
  status(line: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  }

  /** Ends the step with its summary line. */
  finish(line: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[K${line}\n` : `${line}\n`);
    this.lastQuarter = 0;
    this.lastDraw = 0;
  }
}
