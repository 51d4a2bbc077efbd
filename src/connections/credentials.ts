/**
 * Credentials of real connections (issue 7, "Secrets"): asked with a password InputBox, kept only in
 * VS Code's SecretStorage (the OS keychain), one key per connection, never in settings, files or the
 * environment. The backend asks for them on each call and passes them to PowerShell inside its
 * parameter object over stdin (src/hyperv/runner.ts); every password handed out is registered with
 * the SecretRedactor, so it is replaced by `***` in every sink (see ./secretRedactor.ts).
 */
import * as vscode from 'vscode';
import type { HostConnection } from './connectionConfig';
import type { SecretRedactor } from './secretRedactor';

/** A user name and password (the shape of HyperVTarget.credential's result in src/hyperv/hypervBackend.ts). */
export interface Credential {
  userName: string;
  password: string;
}

/** SecretStorage key of a connection (names are unique case-insensitively). */
export function credentialKey(connection: string): string {
  return `gpuPartitions.credential/${connection.trim().toLowerCase()}`;
}

function parse(raw: string | undefined): Credential | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<Credential>;
    if (typeof v.userName === 'string' && typeof v.password === 'string' && v.password !== '') return { userName: v.userName, password: v.password };
  } catch {
    // An unreadable entry is treated as absent (the user is asked again).
  }
  return undefined;
}

export class CredentialStore {
  /** Prompts already open, per connection, so parallel reads ask once. */
  private readonly asking = new Map<string, Promise<Credential | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    readonly redactor: SecretRedactor,
  ) {}

  async get(connection: string): Promise<Credential | undefined> {
    const c = parse(await this.secrets.get(credentialKey(connection)));
    this.redactor.add(c?.password);
    return c;
  }

  async set(connection: string, credential: Credential): Promise<void> {
    this.redactor.add(credential.password);
    await this.secrets.store(credentialKey(connection), JSON.stringify(credential));
  }

  /** Deletes the stored credential; returns whether there was one. */
  async forget(connection: string): Promise<boolean> {
    const had = await this.secrets.get(credentialKey(connection));
    await this.secrets.delete(credentialKey(connection));
    // The password stays registered with the redactor for this session: text that was already
    // produced with it may still be on its way to a sink.
    return had !== undefined;
  }

  /** Redacts a text shown to the user or logged (error messages). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /**
   * What the PowerShell backend uses on each call: the stored credential; when none is stored and
   * the connection names a user, the password box (once, then stored); otherwise undefined (the
   * current Windows identity, Kerberos).
   */
  credentialFor(connection: HostConnection): () => Promise<Credential | undefined> {
    return async () => {
      const stored = await this.get(connection.name);
      if (stored || !connection.userName) return stored;
      const key = credentialKey(connection.name);
      let pending = this.asking.get(key);
      if (!pending) {
        pending = this.ask(connection.name, connection.userName).finally(() => this.asking.delete(key));
        this.asking.set(key, pending);
      }
      return pending;
    };
  }

  /**
   * Asks for the user name (pre-filled) and the password, and stores them. Returns undefined when
   * the user cancels.
   */
  async ask(connection: string, userName?: string): Promise<Credential | undefined> {
    const t = vscode.l10n.t;
    const user = await vscode.window.showInputBox({
      title: t('Credentials for {0} (1/2): user name', connection),
      prompt: t('User name for PowerShell remoting, for example CONTOSO\\admin.'),
      value: userName ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : t('Enter a user name.')),
    });
    if (user === undefined) return undefined;
    const password = await vscode.window.showInputBox({
      title: t('Credentials for {0} (2/2): password', connection),
      prompt: t('Password of {0}. It is kept in the operating system\'s secret store (VS Code SecretStorage) and is never written to settings or logs.', user.trim()),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : t('Enter the password.')),
    });
    if (password === undefined) return undefined;
    const credential = { userName: user.trim(), password };
    await this.set(connection, credential);
    return credential;
  }
}
