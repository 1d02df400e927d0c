import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

let ws: WsClient | undefined;
let client: Client | undefined;

/**
 * The browser's API client, through this origin's /graphql (the session cookie goes along by itself).
 * Subscriptions open one WebSocket, only when the first one starts.
 */
export function browserClient(): Client {
  client ??= new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => {
            ws ??= createWsClient({ url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`, lazy: true });
            return { unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) };
          },
        }),
      }),
    ],
  });
  return client;
}
