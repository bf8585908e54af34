/**
 * `@nv/device-sim/mtk/node`: the MediaTek side's Node helpers only — save, load and dump a simulated MediaTek
 * device (folder or partition images). `nv sim mtk` imports this instead of `./node`.
 * @module
 */
export { dumpMtkDevice, loadMtkDevice, mtkStateHasImages, saveMtkDevice } from './node-mtk.ts';
