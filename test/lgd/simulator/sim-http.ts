/** Small HTTP helpers for simulator tests: a cookie-carrying session over Node's fetch. */
import { defaultLgdMapping, type LgdMapping } from '../../../bot/lgd/lgd-mapping.js';

export const JSON_HEADERS = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

export interface SimHttp {
  cookie: string | null;
  get(path: string, params?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  logon(user?: string, password?: string): Promise<Response>;
  list(params: Record<string, string>): Promise<ListBody>;
}

export interface ObjectBody {
  className: string;
  value: string;
  name: string;
  attributes: Record<string, string>;
}

export interface ListBody {
  objectCount: number;
  pageCount: number;
  pageNumber: number;
  pageSize: number;
  objects: ObjectBody[];
}

/** A client holding one session cookie against a simulator base URL. */
export function simHttp(baseUrl: string, mapping: LgdMapping = defaultLgdMapping): SimHttp {
  const self: SimHttp = {
    cookie: null,
    async get(path, params = {}, headers = JSON_HEADERS) {
      const qs = new URLSearchParams(params).toString();
      return fetch(`${baseUrl}/${path}${qs ? `?${qs}` : ''}`, {
        headers: { ...headers, ...(self.cookie ? { Cookie: self.cookie } : {}) },
        redirect: 'manual',
      });
    },
    async post(path, form, headers = JSON_HEADERS) {
      return fetch(`${baseUrl}/${path}`, {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(self.cookie ? { Cookie: self.cookie } : {}),
        },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });
    },
    async logon(user = 'lgd.service', password = 'lgd-simulator') {
      const res = await self.post(mapping.paths.logon, { Ecom_User_ID: user, Ecom_User_Password: password });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) self.cookie = setCookie.split(';')[0] ?? null;
      return res;
    },
    async list(params) {
      const res = await self.get(mapping.paths.list, params);
      if (res.status !== 200) throw new Error(`list.rails answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as ListBody;
    },
  };
  return self;
}
