/**
 * The WHERE of a list query with every value bound as a parameter: `add` appends `sql($n)` for
 * a given value (null or undefined skip it), `limit` binds the page size last.
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  add(sql: (placeholder: string) => string, value: unknown): this {
    if (value === null || value === undefined) return this;
    this.params.push(value);
    this.conditions.push(sql(`$${this.params.length}`));
    return this;
  }

  eq(column: string, value: unknown): this {
    return this.add((p) => `${column} = ${p}`, value);
  }

  /** Conditions already written against `params` (such as `pageConditions`). */
  with(conditions: string[]): this {
    this.conditions.push(...conditions);
    return this;
  }

  get where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** Binds the row limit and answers its placeholder. */
  limit(rows: number): string {
    this.params.push(rows);
    return `$${this.params.length}`;
  }
}
