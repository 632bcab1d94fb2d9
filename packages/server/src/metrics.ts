import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { hashQueueDepth, hashThreadCount } from './auth/password.js';
import type { Store } from './store/db.js';

/** What sign-in attempts end as (gatehouse_sign_ins_total's `result`). */
export type SignInResult = 'success' | 'wrong_password' | 'unknown_account' | 'disabled' | 'throttled';

/** Where the gauges read from at scrape time; nothing on a request path pays for them. */
export interface MetricSources {
  store: Store;
  /** Unsent mail by issuer, when mail is configured. */
  outboxBacklog?: () => Promise<{ issuer: string; count: number }[]>;
}

interface RouteSeries {
  issuer: string;
  method: string;
  route: string;
  duration: Histogram.Internal<'issuer' | 'method' | 'route'>;
  /** Answers by status, counted here and handed to the counter when scraped. */
  byStatus: Map<number, { count: number }>;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The process's Prometheus metrics (docs/production.md, "Metrics"). Labels are bounded: issuer
 * ids are the operator's, routes are the router's patterns, methods and statuses are few. The
 * per-request series are looked up in nested maps of cached children, so observing a request
 * allocates nothing once its series exists.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'issuer' | 'method' | 'route'>;
  private readonly signIns: Counter<'issuer' | 'result'>;
  private readonly tokens: Counter<'issuer' | 'grant_type'>;
  private readonly reuse: Counter<'issuer'>;
  // issuer → method → route → series
  private readonly series = new Map<string, Map<string, Map<string, RouteSeries>>>();
  private defaultsOn = false;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    const series = this.series;
    // Counted in plain numbers on the request path (prom-client's inc hashes its labels on every
    // call) and copied into the counter when scraped.
    new Counter({
      name: 'gatehouse_http_requests_total',
      help: 'HTTP requests answered, by issuer, method, route pattern and status',
      labelNames: ['issuer', 'method', 'route', 'status'],
      registers,
      collect() {
        this.reset();
        for (const byMethod of series.values()) {
          for (const byRoute of byMethod.values()) {
            for (const one of byRoute.values()) {
              for (const [status, { count }] of one.byStatus)
                this.inc({ issuer: one.issuer, method: one.method, route: one.route, status: String(status) }, count);
            }
          }
        }
      },
    });
    this.duration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'Time from a request reaching the router to its answer, by issuer, method and route pattern',
      labelNames: ['issuer', 'method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.signIns = new Counter({
      name: 'gatehouse_sign_ins_total',
      help: 'Password sign-in attempts, by issuer and result',
      labelNames: ['issuer', 'result'],
      registers,
    });
    this.tokens = new Counter({
      name: 'gatehouse_tokens_issued_total',
      help: 'Token responses issued, by issuer and grant type',
      labelNames: ['issuer', 'grant_type'],
      registers,
    });
    this.reuse = new Counter({
      name: 'gatehouse_refresh_token_reuse_total',
      help: 'Refresh tokens presented again after rotation (the grant was revoked)',
      labelNames: ['issuer'],
      registers,
    });
    new Gauge({
      name: 'gatehouse_hash_queue_depth',
      help: 'Password hashes waiting for or running on a hashing thread',
      registers,
      collect() {
        this.set(hashQueueDepth());
      },
    });
    new Gauge({
      name: 'gatehouse_hash_threads',
      help: 'Hashing threads running now',
      registers,
      collect() {
        this.set(hashThreadCount());
      },
    });
    const pool = sources.store.pool;
    if (pool) {
      new Gauge({
        name: 'gatehouse_db_pool_connections',
        help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
        labelNames: ['state'],
        registers,
        collect() {
          this.set({ state: 'total' }, pool.total());
          this.set({ state: 'idle' }, pool.idle());
          this.set({ state: 'waiting' }, pool.waiting());
        },
      });
    }
    const backlog = sources.outboxBacklog;
    if (backlog) {
      new Gauge({
        name: 'gatehouse_mail_outbox_backlog',
        help: 'Mail enqueued and not yet sent, by issuer',
        labelNames: ['issuer'],
        registers,
        async collect() {
          this.reset();
          for (const { issuer, count } of await backlog()) this.set({ issuer }, count);
        },
      });
    }
  }

  /** Node's own process metrics (CPU, memory, event-loop delay), once metrics are served. */
  exposeProcessMetrics(): void {
    if (this.defaultsOn) return;
    this.defaultsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** One answered request; `route` is the router's pattern (or "unmatched"), never the path. */
  request(issuer: string, method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    const byMethod = getOrSet(this.series, issuer, () => new Map());
    const byRoute = getOrSet(byMethod, m, () => new Map());
    const series = getOrSet(byRoute, route, () => ({ issuer, method: m, route, duration: this.duration.labels(issuer, m, route), byStatus: new Map() }));
    getOrSet(series.byStatus, status, () => ({ count: 0 })).count++;
    series.duration.observe(seconds);
  }

  signIn(issuer: string, result: SignInResult): void {
    this.signIns.inc({ issuer, result });
  }

  tokenIssued(issuer: string, grantType: string): void {
    this.tokens.inc({ issuer, grant_type: grantType });
  }

  refreshReuse(issuer: string): void {
    this.reuse.inc({ issuer });
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}

/** The map's value for `key`, made by `make` and stored the first time. */
function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
