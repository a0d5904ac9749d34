import type { Router } from '../kit/router.js';
import { cfFail, cfId, cfOk } from './envelope.js';
import type { CfStore, Purge } from './state.js';
import { API, isZone, zoneOf } from './zones.js';

const KINDS = ['purge_everything', 'files', 'tags', 'hosts', 'prefixes'] as const;
const ONE_OF = { code: 1012, message: 'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"' };

/**
 * Cache purge. Nothing is cached here, so a purge is only recorded (GET /_sim/state → purges),
 * which is what a test of "did the flow purge the right URLs" needs.
 */
export function addPurgeRoutes(router: Router, store: CfStore): void {
  router.add('POST', `${API}/zones/:zone_id/purge_cache`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return cfFail(400, ONE_OF);
    const given = KINDS.filter((k) => (body as Record<string, unknown>)[k] !== undefined);
    // Exactly one kind per request: Cloudflare rejects mixed purges.
    if (given.length !== 1) return cfFail(400, ONE_OF);
    const kind = given[0];
    const value = (body as Record<string, unknown>)[kind];
    const purge: Purge = { id: cfId(), zone_id: zone.id, at: store.nowIso() };
    if (kind === 'purge_everything') {
      if (value !== true) return cfFail(400, { code: 1012, message: 'purge_everything must be true' });
      purge.purge_everything = true;
    } else {
      if (!Array.isArray(value) || value.length === 0) return cfFail(400, { code: 1012, message: `${kind} must be a non-empty array` });
      const okItem = (v: unknown): boolean =>
        typeof v === 'string' ? v.length > 0 : kind === 'files' && !!v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string';
      if (!value.every(okItem)) {
        return cfFail(400, { code: 1012, message: kind === 'files' ? 'files must be URLs or {url, headers} objects' : `${kind} must be strings` });
      }
      if (kind === 'files') {
        const bad = value.map((v) => (typeof v === 'string' ? v : (v as { url: string }).url)).find((u) => !/^https?:\/\//.test(u));
        if (bad) return cfFail(400, { code: 1012, message: `Unable to purge ${bad}: files must be absolute http(s) URLs` });
      }
      purge[kind] = value;
    }
    store.purges.push(purge);
    return cfOk({ id: purge.id });
  });
}
