import { bytesToHex } from '@nv/core/bytes';
import { sha256Hex } from '@nv/core/hash';
import {
  decodeQcn,
  encodeQcn,
  lint,
  nvInfoFromDefinition,
  packEfsImage,
  qcnToEfsTree,
  readEfsImage,
  type EfsTree,
} from '@nv/qcom-efs';
import { NODE_DEFLATE, compileNvSourceFiles, readNvDefinitionFile, writeEfsFolder } from '@nv/qcom-efs/node';
import { buildFsgImg, verifySignedImage } from '@nv/qcom-fsg-sign';
import { generateFsgKeys, signFsgImage, type FsgKeys } from '@nv/qcom-fsg-sign/node';
import { bootQcom, createQcomDevice, flashPartition, nvKeyOfPath, packageQcomFormats } from '@nv/device-sim/qcom';
import type { DemoRunner } from './runner.ts';
import { SAMPLE_NV_FILES } from './qcom-sample.ts';

const FLOW = 'qcom';
/** MSM8909-class part, OEM 0, model 0 (docs/formats/fsg.md#ids). */
const HW_ID = 0x0096_00e1_0000_0000n;
/** EFS tar image type of later modem lines (SecTools `efs_tar`), version 0. */
const SW_ID = 0x1bn;

/** Qualcomm: NvSource → QCN → lint → EFS tree → fs_image.tar.gz → keys → signed .mbn → .img → first boot. */
export async function runQcomFlow(run: DemoRunner): Promise<void> {
  let qcnBytes: Uint8Array = new Uint8Array(0);
  let tree: EfsTree = { entries: [] };
  let gz: Uint8Array = new Uint8Array(0);
  let keys: FsgKeys | undefined;
  let mbn: Uint8Array = new Uint8Array(0);
  let img: Uint8Array = new Uint8Array(0);

  await run.step(FLOW, 'qcom.compile', 'NvSource + NvDefinition (with xi:include) → QCN', async () => {
    for (const [name, text] of Object.entries(SAMPLE_NV_FILES)) await run.write(`qcom/nv/${name}`, text);
    const r = await compileNvSourceFiles(run.path('qcom/nv/master.xml'), run.path('qcom/nv/NvDefinition.xml'));
    qcnBytes = encodeQcn(r.qcn);
    await run.write('qcom/sample.qcn', qcnBytes);
    return {
      summary: `${r.items} NV items + ${r.efsItems} EFS items, ${qcnBytes.length} B QCN, ${r.warnings.length} warnings`,
      data: { items: r.items, efsItems: r.efsItems, warnings: r.warnings },
    };
  });

  await run.step(FLOW, 'qcom.lint', 'Preload lint: no runtime, temporary or factory-information NVs', async () => {
    const definition = await readNvDefinitionFile(run.path('qcom/nv/NvDefinition.xml'));
    const result = lint(decodeQcn(qcnBytes).qcn, { definition });
    const errors = result.findings.filter((f) => f.severity === 'error');
    return {
      summary: result.ok
        ? `ok (${result.findings.length} findings, none an error)`
        : errors.map((f) => `${f.code}: ${f.message}`).join('; '),
      data: { findings: result.findings },
      failed: !result.ok,
    };
  });

  await run.step(FLOW, 'qcom.efs-tree', 'QCN → EFS tree (/nvm/num/<id> at the modem’s sizes, item files)', async () => {
    const definition = await readNvDefinitionFile(run.path('qcom/nv/NvDefinition.xml'));
    const r = qcnToEfsTree(decodeQcn(qcnBytes).qcn, { nvInfo: nvInfoFromDefinition(definition) });
    tree = r.tree;
    const { files } = await writeEfsFolder(run.path('qcom/efs'), tree);
    return {
      summary: `${tree.entries.length} entries (${files} files) in qcom/efs with its .nv-efs.json manifest`,
      data: { entries: tree.entries.length, warnings: r.warnings },
    };
  });

  await run.step(FLOW, 'qcom.pack', 'EFS tree → fs_image.tar.gz (V7 tar, absolute names, device order)', async () => {
    const packed = packEfsImage(tree, NODE_DEFLATE);
    gz = packed.bytes;
    await run.write('qcom/fs_image.tar.gz', gz);
    // Read it back the way the modem-side tools do, to prove the archive holds the tree.
    const back = readEfsImage(gz, NODE_DEFLATE);
    const same = back.tree.entries.length === tree.entries.length;
    return {
      summary: `${packed.entries} entries, tar ${packed.tarBytes} B, gzip ${gz.length} B; read back ${back.tree.entries.length} entries (${back.chain.join('>')})`,
      data: { entries: packed.entries, tarBytes: packed.tarBytes, gzBytes: gz.length },
      failed: !same,
    };
  });

  await run.step(FLOW, 'qcom.keygen', 'Customer root CA + attestation CA (not a public test root)', async () => {
    keys = await generateFsgKeys({ org: 'Demo Devices', swId: SW_ID, hwId: HW_ID, serialSeed: 'nv-demo' });
    for (const [name, bytes] of Object.entries(keys.files)) await run.write(`qcom/keys/${name}`, bytes);
    return {
      summary: `FS_SIGNED_IMG_ROOT_HASH ${keys.rootHash.slice(0, 16)}…, fs_signed_img_param fragment written`,
      data: { rootHash: keys.rootHash },
    };
  });

  await run.step(
    FLOW,
    'qcom.sign',
    'Sign fs_image.tar.gz: MBN v3 header + image hash + RSA + certificate chain',
    async () => {
      if (!keys) throw new Error('keys missing');
      const signed = await signFsgImage(gz, {
        caKey: keys.caKey,
        caCertDer: keys.caCertDer,
        rootCertDer: keys.rootCertDer,
        hwId: HW_ID,
        swId: SW_ID,
        serialSeed: 'nv-demo',
      });
      mbn = signed.mbn;
      await run.write('qcom/fs_image.tar.gz.mbn', mbn);
      const v = verifySignedImage(mbn, { rootHash: keys.rootHash, hwId: HW_ID, swId: SW_ID });
      return {
        summary: `${mbn.length} B, hash ${signed.hash.slice(0, 16)}…, verify: ${v.checks.filter((c) => c.ok).length}/${v.checks.length} checks pass`,
        data: { hash: signed.hash, size: signed.size },
        failed: !v.ok,
      };
    },
  );

  await run.step(FLOW, 'qcom.img', 'Wrap as the FSG partition image (.img sector)', async () => {
    img = buildFsgImg(mbn).img;
    await run.write('qcom/fs_image.tar.gz.mbn.img', img);
    return { summary: `${img.length} B (512-byte sector + .mbn)` };
  });

  await run.step(FLOW, 'qcom.boot', 'Simulated first boot from FSG restores every NV item and EFS file', async () => {
    if (!keys) throw new Error('keys missing');
    const device = createQcomDevice({
      trust: { rootHash: keys.rootHash, hwId: HW_ID, swId: SW_ID },
      formats: packageQcomFormats({ deflate: NODE_DEFLATE }),
      seed: 'nv-demo',
    });
    flashPartition(device, 'fsg', img);
    const boot = bootQcom(device);
    const missing: string[] = [];
    for (const e of tree.entries) {
      if (e.type === 'dir' || e.data === undefined) continue;
      const key = nvKeyOfPath(e.path);
      const same =
        key !== undefined
          ? boot.nv[key] === bytesToHex(e.data)
          : boot.efs.find((f) => f.path === e.path)?.sha256 === sha256Hex(e.data);
      if (!same) missing.push(e.path);
    }
    const second = bootQcom(device);
    await run.write('qcom/boot.json', `${JSON.stringify(boot, null, 2)}\n`);
    const ok = boot.source === 'fsg' && boot.verified && boot.error === undefined && missing.length === 0;
    return {
      summary: ok
        ? `booted from fsg after ${boot.checks.length} signature checks; ${Object.keys(boot.nv).length} NV items and ${boot.efs.length} EFS files present; next boot uses ${second.source}`
        : `source ${boot.source}, verified ${boot.verified}${boot.error ? `, ${boot.error.code}: ${boot.error.message}` : ''}; missing: ${missing.join(', ') || 'none'}`,
      data: {
        source: boot.source,
        verified: boot.verified,
        nv: Object.keys(boot.nv).length,
        efs: boot.efs.length,
        missing,
        secondBoot: second.source,
      },
      failed: !ok,
    };
  });
}
