/**
 * Where a legacy (numbered) NV item lives in the EFS (docs/formats/efs-tar.md#paths): `/nvm/num/<id>[_<k>]` for subscription 0,
 * `/nvm/context<n>/<id>[_<k>]` for subscription n ≥ 1. The one owner of the rule: lint, QCN ↔ EFS and the device
 * simulator call it.
 * @module
 */

/**
 * The EFS path of NV item `id`, index `index` (0 = not indexed / first record) of subscription `subscription`.
 * @example nvItemPath(10, 1, 1) // '/nvm/context1/10_1'
 */
export function nvItemPath(id: number, index = 0, subscription = 0): string {
  const base = subscription === 0 ? '/nvm/num/' : `/nvm/context${subscription}/`;
  return `${base}${id}${index > 0 ? `_${index}` : ''}`;
}

/**
 * Matches a numbered NV item path: group 1 = context number (absent for `/nvm/num`), 2 = id, 3 = index.
 * @example NV_ITEM_PATH_RE.exec('/nvm/context1/10_2')?.slice(1) // ['1', '10', '2']
 */
export const NV_ITEM_PATH_RE: RegExp = /^\/nvm\/(?:num|context(\d{1,2}))\/(\d{1,5})(?:_(\d{1,3}))?$/;
