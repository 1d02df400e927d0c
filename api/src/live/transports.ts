import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createBus, decodeWireEvent, encodeWireEvent, type EventBus, type Transport, type TransportHandlers } from './event-bus.js';
import type { LiveEvent } from './live-event.js';

/**
 * The bus for this process: Redis pub/sub when REDIS_URL is set, PostgreSQL LISTEN/NOTIFY on a
 * server, and within the process for the embedded PGlite (one process owns that database).
 */
export function createEventBus(options: { config: Config; orm: MikroORM; log: Logger; embedded: boolean }): EventBus {
  const { config, orm, log } = options;
  if (config.REDIS_URL) {
    const url = config.REDIS_URL;
    return createBus(orm, log, 'redis', (h) => redisTransport(url, h, log));
  }
  if (config.DATABASE_URL && !options.embedded) {
    const url = config.DATABASE_URL;
    return createBus(orm, log, 'postgresql', (h) => postgresTransport(url, orm, h, log));
  }
  return createBus(orm, log, 'in-process', inProcessTransport);
}

function inProcessTransport(h: TransportHandlers): Transport {
  return {
    send: async (events) => queueMicrotask(() => events.forEach((e) => h.deliver(e))),
    watch: async () => {},
    unwatch: async () => {},
    close: async () => {},
  };
}

const CHANNEL = 'consulta_live';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_NOTIFY_BYTES = 7999;

/** Every process LISTENs on one channel (topic names exceed PostgreSQL's 63-byte identifiers) and keeps its own topics. */
function postgresTransport(url: string, orm: MikroORM, h: TransportHandlers, log: Logger): Transport {
  let client: pg.Client | undefined;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;

  const listen = async (isReconnect: boolean) => {
    const c = new pg.Client({ connectionString: url, keepAlive: true, application_name: 'consulta-live' });
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        h.deliver(decodeWireEvent(n.payload));
      } catch (err) {
        log.warn({ err }, 'ignored a malformed live notification');
      }
    });
    c.on('error', (err) => log.warn({ err }, 'live LISTEN connection failed'));
    c.on('end', () => {
      if (client === c) client = undefined;
      if (!closing) reconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      throw err;
    }
    if (closing) return void (await c.end());
    client = c;
    delay = 250;
    // Anything committed while the link was down is in the log.
    if (isReconnect) h.resync();
  };

  const reconnect = () => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      listen(true).catch((err) => {
        log.warn({ err, retryInMs: delay }, 'live LISTEN connection could not reconnect');
        delay = Math.min(delay * 2, 10_000);
        reconnect();
      });
    }, delay);
  };

  const started = listen(false).catch((err) => {
    log.error({ err }, 'live LISTEN connection could not start; retrying');
    reconnect();
  });

  return {
    send: async (events: LiveEvent[]) => {
      const payloads = events.map((event) => {
        const payload = encodeWireEvent(event);
        return Buffer.byteLength(payload) > MAX_NOTIFY_BYTES ? JSON.stringify({ t: event.topic, s: event.sequence }) : payload;
      });
      // One statement for the batch; its notifications go out in the array's order.
      await orm.em.getConnection().execute('select pg_notify(?, p) from unnest(array[?]::text[]) as p', [CHANNEL, payloads]);
    },
    watch: () => started,
    unwatch: async () => {},
    close: async () => {
      closing = true;
      clearTimeout(retry);
      await started;
      await client?.end().catch(() => {});
    },
  };
}

const redisChannel = (topic: string) => `consulta:live:${topic}`;

/** One Redis channel per topic, so each process receives only the topics its subscribers watch. */
function redisTransport(url: string, h: TransportHandlers, log: Logger): Transport {
  const publisher = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url);
  let wasReady = false;
  publisher.on('error', (err) => log.warn({ err }, 'live Redis publisher failed'));
  subscriber.on('error', (err) => log.warn({ err }, 'live Redis subscriber failed'));
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      h.deliver(decodeWireEvent(message));
    } catch (err) {
      log.warn({ err }, 'ignored a malformed live message');
    }
  });
  // ioredis subscribes again by itself after a reconnect; what was published meanwhile is in the log.
  subscriber.on('ready', () => {
    if (wasReady) h.resync();
    wasReady = true;
  });
  return {
    send: async (events) => {
      const pipeline = publisher.pipeline();
      events.forEach((e) => pipeline.publish(redisChannel(e.topic), encodeWireEvent(e)));
      await pipeline.exec();
    },
    watch: async (topic) => void (await subscriber.subscribe(redisChannel(topic))),
    unwatch: async (topic) => void (await subscriber.unsubscribe(redisChannel(topic))),
    close: async () => {
      await Promise.all([publisher.quit().catch(() => publisher.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
