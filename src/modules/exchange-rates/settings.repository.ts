import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The `settings` table: one JSON value per key. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async read<T>(key: string): Promise<T | null> {
    const [row] = await this.db.query(`SELECT value FROM settings WHERE key = $1`, [key]);
    return (row?.value as T) ?? null;
  }

  async write(key: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(value)],
    );
  }
}
