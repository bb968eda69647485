import type Database from 'better-sqlite3';

export interface Migration {
  /** Schema version this migration produces; versions are consecutive from 1. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
