import type { Knex } from 'knex';
import { toIso } from '@flagstage/backend-node';
import type { Announcement } from '@flagstage/plugin-contest-common';
import type { AnnouncementRow, NewRow } from './rows';

/** A contest's announcements. */
export interface AnnouncementStore {
  /** The new announcement's id. */
  insert(row: NewRow<AnnouncementRow>): Promise<number>;
  /** The newest `limit`, newest first. */
  list(contestId: string, limit: number): Promise<Announcement[]>;
}

export class DatabaseAnnouncementStore implements AnnouncementStore {
  constructor(private readonly db: Knex) {}

  async insert(row: NewRow<AnnouncementRow>) {
    const [created] = await this.db('announcements')
      .insert(row)
      .returning(['id']);
    return Number(typeof created === 'object' ? created.id : created);
  }

  async list(contestId: string, limit: number) {
    const rows = await this.db<AnnouncementRow>('announcements')
      .where({ contest_id: contestId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(r => ({
      id: Number(r.id),
      title: r.title,
      body: r.body,
      createdAt: toIso(r.created_at),
    }));
  }
}
