// Builds one generated source file line by line and remembers on which line each planted flow leaves, so the
// manifest of expected findings is exact by construction (no line arithmetic in the templates).

/** A finding the generator planted on purpose: the CLI must report exactly these, no more, no fewer. */
export interface PlantedFlow {
  ruleId: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line: number;
  /** Which template produced it: a missed flow is reported by pattern, so the engine gap is named. */
  pattern: string;
}

export class SourceWriter {
  private readonly lines: string[] = [];
  readonly planted: PlantedFlow[] = [];

  constructor(readonly file: string) {}

  line(...texts: string[]): this {
    for (const text of texts) this.lines.push(...text.split('\n'));
    return this;
  }

  /** The next line is where a planted finding's sink expression (or literal) sits; it must be a single line. */
  plant(ruleId: string, pattern: string, text: string): this {
    if (text.includes('\n')) throw new Error(`planted line must be one line: ${text}`);
    this.lines.push(text);
    this.planted.push({ ruleId, file: this.file, line: this.lines.length, pattern });
    return this;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}
