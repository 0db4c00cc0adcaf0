/**
 * The clients `kafkaClientAdmin` keeps per bootstrap address: one `Admin` (metadata, topics,
 * configs) and one raw `Connection` for the protocol-level calls. Start with {@link clientPool}.
 */
import { Admin, Connection, type ConnectionOptions } from '@platformatic/kafka';
import type { ClusterAddress } from './kafkaAdmin.js';

const keyOf = (address: ClusterAddress): string => address.bootstrap.join(',');

export function clientPool(clientId: string, timeout: number, connectionOptions: ConnectionOptions = {}) {
  const admins = new Map<string, Admin>();
  const connections = new Map<string, Promise<Connection>>();

  function adminFor(address: ClusterAddress): Admin {
    let admin = admins.get(keyOf(address));
    if (admin === undefined) {
      admin = new Admin({
        ...connectionOptions,
        clientId,
        bootstrapBrokers: address.bootstrap,
        timeout,
        requestTimeout: timeout,
        retries: 1,
        metadataMaxAge: 1_000,
      });
      admins.set(keyOf(address), admin);
    }
    return admin;
  }

  /** A connection to the first bootstrap server that answers: brokers forward admin requests to the controller. */
  function connectionFor(address: ClusterAddress): Promise<Connection> {
    let pending = connections.get(keyOf(address));
    if (pending === undefined) {
      pending = (async () => {
        let last: unknown;
        for (const server of address.bootstrap) {
          const [host = '', port = '9092'] = server.split(':');
          const connection = new Connection(clientId, {
            ...connectionOptions,
            connectTimeout: timeout,
            requestTimeout: timeout,
          });
          try {
            await connection.connect(host, Number(port));
            return connection;
          } catch (error) {
            last = error;
            await connection.close().catch(() => undefined);
          }
        }
        throw last ?? new Error('no bootstrap servers');
      })();
      connections.set(keyOf(address), pending);
    }
    return pending;
  }

  return {
    adminFor,
    connectionFor,
    /** Forgets a failed connection so the next call reconnects. */
    drop(address: ClusterAddress): void {
      const pending = connections.get(keyOf(address));
      connections.delete(keyOf(address));
      void pending?.then((c) => c.close()).catch(() => undefined);
    },
    async close(): Promise<void> {
      const pending = [...connections.values()];
      connections.clear();
      const open = [...admins.values()];
      admins.clear();
      await Promise.allSettled([
        ...open.map((admin) => admin.close()),
        ...pending.map(async (p) => (await p).close()),
      ]);
    },
  };
}
