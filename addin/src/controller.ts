import type { DataFormat, TableSummary } from '../../connector/contract';
import { targetOf, type BindingStore } from './bindings';
import { ColumnProbe } from './column-probe';
import { ConnectorClient, type FetchLike } from './connector';
import type { CredentialStore } from './credentials';
import { CREDENTIALS_REFUSED, PaneError, paneMessages } from './errors';
import { asPaneError, insertTable, refreshAll, refreshTable, type PullContext, type RefreshResult } from './pull';
import { columnNotes, count, describeBinding, goneNote, refreshAllMessage } from './summaries';
import { BoundList } from './ui/bound-list';
import { ColumnPicker } from './ui/column-picker';
import { ConnectForm, type ConnectInput } from './ui/connect-form';
import { Notices } from './ui/notices';
import { Progress } from './ui/progress';
import { RowFilterPicker } from './ui/row-filter';
import { TablePicker } from './ui/table-picker';
import type { Workbook } from './workbook/port';

export interface PaneDeps {
  doc: Document;
  workbook: Workbook;
  bindings: BindingStore;
  credentials: CredentialStore;
  /** The origin serving the pane, offered as the Connector URL. */
  origin: string | null;
  fetchFn?: FetchLike;
}

/** How a pull ended, for callers outside the pane (the ribbon command, refresh on open). */
export interface TaskOutcome {
  ok: boolean;
  message: string;
}

/** Connects the controls to the connector client, the pulls and the workbook; one pull at a time. */
export class PaneController {
  private readonly form: ConnectForm;
  private readonly picker: TablePicker;
  private readonly columns: ColumnPicker;
  private readonly bound: BoundList;
  private readonly progress: Progress;
  private readonly notices: Notices;
  private readonly filter: RowFilterPicker;
  /** Why the last connect failed, so a refresh asked for without the pane can say so. */
  private connectFailure: TaskOutcome | null = null;
  private starting: Promise<void> | null = null;
  private client: ConnectorClient | null = null;
  private probe: ColumnProbe | null = null;
  private running: AbortController | null = null;
  /** Per bound table, the chosen columns its last refresh in this session went without. */
  private readonly gone = new Map<string, string[]>();

  constructor(private readonly deps: PaneDeps) {
    const { doc } = deps;
    this.form = new ConnectForm(doc);
    this.picker = new TablePicker(doc);
    this.columns = new ColumnPicker(doc);
    this.bound = new BoundList(doc);
    this.progress = new Progress(doc);
    this.notices = new Notices(doc);
    this.filter = new RowFilterPicker(doc);

    this.form.onConnect((input) => void this.connect(input));
    this.picker.onInsert((table, format) => void this.insert(table, format));
    this.picker.onSelection((table, format) => void this.listColumns(table, format));
    this.bound.onRefreshOne((id) => void this.refreshOne(id));
    this.bound.onRefreshAll(() => void this.refreshEverything());
    this.progress.onCancel(() => this.running?.abort());
    this.form.onForget(() => this.forget());
  }

  /** Fills in what is known and, when credentials were remembered, connects straight away; once. */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    if (this.deps.origin) this.form.suggestUrl(this.deps.origin);
    await this.showBound();
    const saved = this.deps.credentials.load();
    if (saved) {
      this.form.fill(saved, this.deps.credentials.isRemembered());
      await this.connect(this.form.read());
    }
  }

  private async connect(input: ConnectInput): Promise<void> {
    let client: ConnectorClient;
    try {
      client = ConnectorClient.create(input, {
        fetchFn: this.deps.fetchFn,
        onWait: (seconds, reason) => this.progress.waiting(paneMessages.waiting(seconds, reason)),
      });
    } catch (error) {
      this.notices.alert(asPaneError(error).message);
      return;
    }
    const outcome = await this.task('Connecting…', async (signal) => {
      this.disconnect();
      try {
        const me = await client.me(signal);
        const tables = await client.tables(signal);
        this.client = client;
        this.probe = new ColumnProbe(client);
        this.deps.credentials.keep(input, input.remember);
        this.form.collapse();
        this.picker.show(me, client.endpoint, tables);
        const none = tables.length === 0 ? ' No tables are granted to you yet: ask your administrator.' : '';
        return `Connected as ${me.user.name || me.user.username}.${none}`;
      } catch (error) {
        this.form.expand();
        throw error;
      }
    });
    this.connectFailure = outcome.ok ? null : outcome;
  }

  /** Offers the columns of the table and format in view; a failure only costs the choice, not the insert. */
  private async listColumns(table: TableSummary, format: DataFormat): Promise<void> {
    const probe = this.probe;
    if (!probe) return;
    this.columns.loading();
    try {
      const columns = await probe.columns(table.id, format);
      if (columns) {
        this.columns.show(table.id, columns, format);
        this.filter.show(columns);
      }
    } catch (error) {
      if (probe === this.probe) this.columns.unavailable(asPaneError(error).message);
    }
  }

  private async insert(table: TableSummary, format: DataFormat): Promise<void> {
    const chosen = this.columns.chosen();
    if (chosen?.length === 0) {
      this.notices.alert(paneMessages.noColumnChosen);
      return;
    }
    const filter = this.filter.chosen();
    if (filter?.value === '') {
      this.notices.alert(paneMessages.noFilterValue(filter.field));
      return;
    }
    await this.task(`Inserting ${table.title}…`, async (signal) => {
      const binding = await insertTable(this.pullContext(signal), table, format, chosen, filter);
      const some = binding.columns ? `, ${count(binding.columns.length, 'column')} chosen` : '';
      const links = binding.children.length ? ` and ${count(binding.children.length, 'linked table')}` : '';
      return `Inserted ${table.title} (${format}${some})${links}.`;
    });
  }

  private async refreshOne(tableId: string): Promise<void> {
    const binding = (await this.deps.bindings.load()).find((b) => b.tableId === tableId);
    if (!binding) return this.showBound();
    await this.task(`Refreshing ${binding.title}…`, async (signal) => {
      const result = await refreshTable(this.pullContext(signal), binding);
      this.noteGone([result]);
      return [`Refreshed ${binding.title}.`, ...columnNotes([result])].join('\n');
    });
  }

  /**
   * Refresh all without the pane in view (the ribbon's Refresh all, refresh on open): the same
   * refresh as the pane's button, its outcome both shown in the pane and returned.
   */
  async refreshAll(): Promise<TaskOutcome> {
    if (!this.client) {
      const outcome = this.connectFailure ?? { ok: false, message: paneMessages.notConnected };
      this.notices.alert(outcome.message);
      return outcome;
    }
    return (await this.refreshEverything()) ?? { ok: true, message: paneMessages.nothingToRefresh };
  }

  private async refreshEverything(): Promise<TaskOutcome | null> {
    const all = await this.deps.bindings.load();
    if (all.length === 0) return null;
    return this.task('Refreshing all tables…', async (signal) => {
      const result = await refreshAll(this.pullContext(signal), all);
      this.noteGone(result.refreshed);
      return refreshAllMessage(result);
    });
  }

  private forget(): void {
    this.running?.abort();
    this.deps.credentials.forget();
    this.form.clearSecrets();
    this.disconnect();
    this.form.expand();
    this.notices.status('Your API token and key are forgotten on this device. Paste them again to connect.');
  }

  private noteGone(results: RefreshResult[]): void {
    for (const { binding, missingColumns } of results) {
      if (missingColumns.length) this.gone.set(binding.tableId, missingColumns);
      else this.gone.delete(binding.tableId);
    }
  }

  /** Drops the connection and everything learned through it. */
  private disconnect(): void {
    this.probe?.cancel();
    this.probe = null;
    this.client = null;
    this.picker.hide();
    this.columns.hide();
    this.filter.hide();
  }

  private pullContext(signal: AbortSignal): PullContext {
    if (!this.client) throw new PaneError('missing_credentials', paneMessages.notConnected);
    return {
      client: this.client,
      workbook: this.deps.workbook,
      bindings: this.deps.bindings,
      signal,
      onProgress: (rows) => this.progress.rows(rows),
    };
  }

  /** Runs one pull with progress and Cancel; its outcome lands in the status line or the alert. */
  private async task(label: string, work: (signal: AbortSignal) => Promise<string>): Promise<TaskOutcome> {
    if (this.running) {
      this.notices.alert(paneMessages.busy);
      return { ok: false, message: paneMessages.busy };
    }
    const controller = new AbortController();
    this.running = controller;
    this.setEnabled(false);
    this.notices.clear();
    this.progress.start(label);
    try {
      const message = await work(controller.signal);
      this.notices.status(message);
      this.form.reachable();
      return { ok: true, message };
    } catch (error) {
      const failure = asPaneError(error);
      if (failure.code === 'cancelled') this.notices.status(failure.message);
      else this.notices.alert(failure.message);
      this.followConnector(failure.code);
      return { ok: false, message: failure.message };
    } finally {
      this.running = null;
      // Enabled again before the bar goes, so focus can return to the control that started the pull.
      this.setEnabled(true);
      this.progress.stop();
      await this.showBound().catch(() => undefined);
    }
  }

  /** The badge and the connection fields say what the connector last said. */
  private followConnector(code: string): void {
    // Whichever pull heard it, the pane stops showing itself connected and brings the fields back.
    if (CREDENTIALS_REFUSED.has(code)) {
      this.disconnect();
      this.form.expand();
    } else if (code === 'unreachable' && this.client) {
      this.form.unreachable();
    }
  }

  private setEnabled(enabled: boolean): void {
    this.picker.setEnabled(enabled);
    this.filter.setEnabled(enabled);
    this.bound.setEnabled(enabled);
    this.form.setEnabled(enabled);
  }

  /**
   * Lists the bound tables, found by id or else by name (a binding found by name follows the
   * table's new id). One found by neither stays listed, with a note: it is never dropped unseen.
   */
  private async showBound(): Promise<void> {
    const all = await this.deps.bindings.load();
    const refs = await this.deps.workbook.locate(all.map(targetOf));
    const moved = all.flatMap((b, i) => (refs[i] && refs[i].id !== b.tableId ? [{ ...b, tableId: refs[i].id, tableName: refs[i].name }] : []));
    if (moved.length) {
      const kept = all.filter((b, i) => !(refs[i] && refs[i].id !== b.tableId));
      await this.deps.bindings.save([...kept, ...moved]);
    }
    this.bound.show(
      all.map((b, i) => {
        const ref = refs[i];
        return {
          tableId: ref?.id ?? b.tableId,
          name: ref?.name ?? b.tableName ?? b.title,
          detail: describeBinding(b),
          warning: ref ? goneNote(this.gone.get(b.tableId)) : paneMessages.tableNotFound,
        };
      }),
    );
  }
}
