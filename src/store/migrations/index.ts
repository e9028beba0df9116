import { m001Ledger } from './001-ledger.js';
import { m002Outbox } from './002-outbox.js';
import { m003Notify } from './003-notify.js';
import { m004Tui } from './004-tui.js';
import { m005DepsInventory } from './005-deps-inventory.js';
import { m008KillswitchBaselines } from './008-killswitch-baselines.js';
import { m011FindingsList } from './011-findings-list.js';
import { m012DepsMatchLog } from './012-deps-match-log.js';
import { m013DepsCaselessNames } from './013-deps-caseless-names.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Forward-only and append-only: a shipped migration is never edited, only followed by a new one. */
export const MIGRATIONS: readonly Migration[] = [m001Ledger, m002Outbox, m003Notify, m004Tui, m005DepsInventory, m008KillswitchBaselines, m011FindingsList, m012DepsMatchLog, m013DepsCaselessNames];
