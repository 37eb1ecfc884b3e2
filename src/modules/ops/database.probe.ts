import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const DB_CHECK_MS = 3000;

/** Whether the database answers a trivial query within 3 s (SPEC §9). */
@Injectable()
export class DatabaseProbe {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async up(): Promise<boolean> {
    try {
      await Promise.race([this.db.query('SELECT 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), DB_CHECK_MS).unref())]);
      return true;
    } catch {
      return false;
    }
  }
}
