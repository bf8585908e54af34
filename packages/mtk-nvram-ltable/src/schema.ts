/**
 * The published JSON schema of the table model (docs/formats/lid-table.md#json). `ltable.schema.json` in the package is this object
 * (a test keeps them equal).
 * @module
 */

/** JSON Schema (draft 2020-12) of `nv mtk ltable import` output and of JSON tables accepted as input. */
export const LTABLE_JSON_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://nv.dev/schemas/mtk-nvram-ltable.schema.json',
  title: 'MediaTek NVRAM LID table',
  type: 'object',
  required: ['generation', 'entries'],
  properties: {
    generation: { enum: ['maui', 'moly-a', 'moly-b'] },
    enumSet: { enum: ['moly-a', 'moly-b', 'maui-1', 'maui-2', 'maui-3'], description: 'required for maui' },
    entries: { type: 'array', maxItems: 65536, items: { $ref: '#/$defs/entry' } },
  },
  $defs: {
    entry: {
      type: 'object',
      required: ['name', 'size', 'records', 'prefix', 'verno'],
      anyOf: [{ required: ['category'] }, { required: ['categories'] }],
      properties: {
        lid: { type: ['integer', 'null'], minimum: 0, maximum: 4294967295 },
        name: { type: 'string', minLength: 1, maxLength: 256 },
        size: { type: 'integer', minimum: 0, maximum: 4294967295 },
        records: { type: 'integer', minimum: 0, maximum: 4294967295 },
        category: { type: 'integer', minimum: 0, maximum: 4294967295 },
        categories: { type: 'array', items: { type: 'string' } },
        attr: { type: 'integer', minimum: 0, maximum: 4294967295 },
        attributes: { type: 'array', items: { type: 'string' } },
        prefix: { type: 'string', maxLength: 64 },
        verno: { type: 'string', maxLength: 64 },
        description: { type: ['string', 'null'] },
        default: {
          type: 'object',
          required: ['kind'],
          properties: {
            kind: { enum: ['zero', 'ff', 'special', 'bytes', 'func', 'custpack', 'secupack', 'symbol'] },
            symbol: { type: 'string' },
            hex: { type: 'string', pattern: '^([0-9a-fA-F]{2})*$' },
          },
        },
        tags: {
          type: 'array',
          items: {
            enum: ['calibration-result', 'rf-driver-param', 'barcode', 'ca-combo', 'rf-band', 'imei', 'sim-lock'],
          },
        },
        unresolved: { type: 'object', additionalProperties: { type: 'string' } },
        source: {
          type: 'object',
          required: ['file', 'line'],
          properties: { file: { type: 'string' }, line: { type: 'integer' } },
        },
      },
    },
  },
};
