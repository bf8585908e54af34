/**
 * The NvDefinition primitives (docs/formats/qcn.md#nvdefinition), a leaf module: `@nv/qcom-efs/model` exports it
 * without reaching the XML compiler.
 * @module
 */

/** The eight built-in primitives (docs/formats/qcn.md#nvdefinition): byte width and signedness. */
export const PRIMITIVES: Readonly<Record<string, { bytes: number; signed: boolean }>> = Object.freeze({
  uint8: { bytes: 1, signed: false },
  uint16: { bytes: 2, signed: false },
  uint32: { bytes: 4, signed: false },
  uint64: { bytes: 8, signed: false },
  int8: { bytes: 1, signed: true },
  int16: { bytes: 2, signed: true },
  int32: { bytes: 4, signed: true },
  int64: { bytes: 8, signed: true },
});
