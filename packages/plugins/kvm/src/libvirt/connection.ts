// One connection to libvirtd over its remote protocol: a socket, length-prefixed messages, calls
// matched to replies by serial. Opening it lists the authentication types the daemon wants (only
// "none" and polkit-as-root are supported: the unix socket as root, or a TCP listener with
// auth_tcp = "none"), then opens the URI's driver.
import { PluginError } from '@baton/plugin-sdk';
import { fromRemoteError } from './errors';
import { HEADER_BYTES, MESSAGE_MAX, MessageStatus, MessageType, Proc, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, readRemoteError } from './protocol';
import { resolveUri, type ResolvedUri } from './uri';
import { openTransport, type RemoteCredentials, type Transport } from './transport';
import { XdrReader, XdrWriter } from './xdr';

const AUTH_NONE = 0;
const AUTH_POLKIT = 2;
const AUTH_PROC_POLKIT = 70;

export interface ConnectOptions {
  /** Gives up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Gives up on one call after this long (default 120 s: libvirt itself times out on a held lock after 30 s). */
  callTimeoutMs?: number;
  /** Closes the connection when aborted (a kill): calls in flight fail with CANCELLED. */
  signal?: AbortSignal;
  /** qemu+ssh / qemu+tls: keys, certificates, known hosts. */
  credentials?: RemoteCredentials;
  /** Told what a person must know although the connection works (host key checking off...). Default: console.warn. */
  onWarning?: (message: string) => void;
}

interface Pending {
  proc: number;
  what: string;
  resolve: (body: XdrReader) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class LibvirtConnection {
  private transport?: Transport;
  private serial = 0;
  private pending = new Map<number, Pending>();
  private received: Buffer = Buffer.alloc(0);
  private closed = false;
  private closeReason?: Error;
  private readonly eventListeners = new Set<(proc: number, body: XdrReader) => void>();
  private readonly onAbort = () => this.destroy(new PluginError('CANCELLED', 'the libvirt call was cancelled (the execution was killed)', { retryable: false }));

  private constructor(
    readonly target: ResolvedUri,
    private readonly options: ConnectOptions,
  ) {}

  /** Dials the daemon, authenticates and opens the URI. The caller must close() it. */
  static async open(uri: string, options: ConnectOptions = {}): Promise<LibvirtConnection> {
    const conn = new LibvirtConnection(resolveUri(uri), options);
    await conn.dial();
    try {
      await conn.authenticate();
      await conn.call(Proc.CONNECT_OPEN, (w) => w.optionalString(conn.target.openName).uint(0), `opening ${conn.target.display}`);
    } catch (error) {
      conn.destroy();
      throw error;
    }
    return conn;
  }

  private async dial(): Promise<void> {
    this.transport = await openTransport(this.target, this.options.credentials ?? {}, this.options.connectTimeoutMs ?? 10_000, {
      onData: (chunk) => this.onData(chunk),
      onClose: (error) => this.destroy(error),
      onWarning: this.options.onWarning ?? ((message) => console.warn(`[kvm] ${message}`)),
    });
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private async authenticate(): Promise<void> {
    const types = await this.call(Proc.AUTH_LIST, undefined, `listing the authentication types of ${this.target.display}`, (r) => r.array((x) => x.int(), 20));
    if (types.length === 0 || types.includes(AUTH_NONE)) return;
    if (types.includes(AUTH_POLKIT)) {
      // Over the unix socket polkit checks the caller's uid: root (or a libvirt-group user with a rule) passes.
      await this.call(AUTH_PROC_POLKIT, undefined, `polkit authentication to ${this.target.display}`, (r) => r.int());
      return;
    }
    throw new PluginError(
      'AUTHENTICATION',
      `libvirtd at ${this.target.display} requires SASL authentication, which Baton does not speak yet. Set auth_tcp = "none" (trusted network only) or run a worker on the host with qemu:///system`,
      { retryable: false },
    );
  }

  /**
   * Calls a procedure: `args` writes its arguments, `read` decodes its result. A libvirt error
   * becomes a PluginError naming `what`.
   */
  call<T = void>(proc: number, args: ((w: XdrWriter) => unknown) | undefined, what: string, read?: (r: XdrReader) => T): Promise<T> {
    if (this.closed) return Promise.reject(this.closeReason ?? new PluginError('UPSTREAM_UNAVAILABLE', `the connection to ${this.target.display} is closed`, { retryable: true }));
    const serial = ++this.serial;
    const body = new XdrWriter();
    args?.(body);
    const payload = body.toBuffer();
    const header = new XdrWriter()
      .uint(HEADER_BYTES + 4 + payload.length)
      .uint(REMOTE_PROGRAM)
      .uint(REMOTE_PROTOCOL_VERSION)
      .int(proc)
      .int(MessageType.CALL)
      .uint(serial)
      .int(MessageStatus.OK)
      .toBuffer();
    const timeoutMs = this.options.callTimeoutMs ?? 120_000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(serial);
        reject(new PluginError('TIMEOUT', `${what}: libvirtd did not answer within ${timeoutMs / 1000} s`, { retryable: true }));
      }, timeoutMs);
      this.pending.set(serial, {
        proc,
        what,
        timer,
        reject,
        resolve: (reader) => {
          try {
            resolve(read ? read(reader) : (undefined as T));
          } catch (error) {
            reject(new PluginError('REMOTE_ERROR', `${what}: could not decode the reply (${(error as Error).message})`, { retryable: false }));
          }
        },
      });
      this.transport!.write(Buffer.concat([header, payload]));
    });
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    while (this.received.length >= 4) {
      const length = this.received.readUInt32BE(0);
      if (length < HEADER_BYTES + 4 || length > MESSAGE_MAX) {
        this.destroy(new PluginError('REMOTE_ERROR', `libvirtd sent a message of ${length} bytes; is ${this.target.display} a libvirt daemon?`, { retryable: false }));
        return;
      }
      if (this.received.length < length) return;
      const message = this.received.subarray(4, length);
      this.received = this.received.subarray(length);
      this.onMessage(new XdrReader(Buffer.from(message)));
    }
  }

  private onMessage(r: XdrReader): void {
    const program = r.uint();
    r.uint(); // version
    const procedure = r.int();
    const type = r.int();
    const serial = r.uint();
    const status = r.int();
    // Events (type MESSAGE) go to who registered for them; keepalives (another program) are not
    // asked for (Baton never advertises the keepalive feature), so the daemon sends none.
    if (program === REMOTE_PROGRAM && type === MessageType.MESSAGE) {
      const proc = procedure;
      for (const listener of this.eventListeners) listener(proc, r);
      return;
    }
    if (program !== REMOTE_PROGRAM || type !== MessageType.REPLY) return;
    const call = this.pending.get(serial);
    if (!call) return;
    this.pending.delete(serial);
    clearTimeout(call.timer);
    if (status === MessageStatus.OK) call.resolve(r);
    else call.reject(fromRemoteError(readRemoteError(r), call.what));
  }

  /**
   * Receives the messages the daemon sends unasked (events of a callback registered with a call):
   * the procedure says which event, the reader is at its body. Returns the unsubscribe.
   */
  onEvent(listener: (proc: number, body: XdrReader) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Fails every call in flight and closes the socket. */
  private destroy(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(reason ?? new PluginError('UPSTREAM_UNAVAILABLE', `the connection to ${this.target.display} closed during ${call.what}`, { retryable: true }));
    }
    this.pending.clear();
    this.transport?.destroy();
  }

  /** Tells the daemon goodbye (CONNECT_CLOSE) and closes the socket. Never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await Promise.race([this.call(Proc.CONNECT_CLOSE, undefined, 'closing'), new Promise((r) => setTimeout(r, 1_000))]);
    } catch {
      // closing anyway
    }
    this.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
