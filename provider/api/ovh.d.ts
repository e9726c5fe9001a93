/** Types for the `ovh` npm client 2.0.3, which ships none (ovh-iplb-api.md 1.2-1.6). */
declare module "ovh" {
  function ovh(options: ovh.OvhClientOptions): ovh.OvhClient;

  namespace ovh {
  interface OvhClientOptions {
    appKey: string;
    appSecret: string;
    consumerKey?: string | null;
    endpoint?: string | null;
    host?: string;
    port?: number;
    basePath?: string;
    timeout?: number;
    apiTimeDiff?: number | null;
    apis?: string[];
    warn?: (...args: unknown[]) => void;
    debug?: boolean | ((...args: unknown[]) => void);
  }

  /** What `requestPromised` rejects with: an HTTP status, a negative errno, or a client-side message. */
  interface OvhRejection {
    error: number | string;
    message?: string | null;
  }

  interface OvhClient {
    request(method: string, path: string, params: object | undefined, callback: (err: unknown, result: unknown) => void): void;
    requestPromised(method: string, path: string, params?: object): Promise<unknown>;
    host: string;
    port: number;
    basePath: string;
    /** Seconds between the API's clock and ours; null until the first call's `GET /auth/time`. */
    apiTimeDiff: number | null;
  }

  }
  export = ovh;
}
