import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';

/** Commands of `@nv/qcom-fsg-sign`: `nv qcom fsg keygen|sign|img|inspect|verify|root-hash`. */
export const registerQcomFsg: CommandRegistrar = (program, context) => {
  const qcom = commandGroup(
    program,
    'qcom',
    'Qualcomm: QCN/EFS, FSG signing, MCFG',
    'nv qcom fsg verify fs_image.tar.gz.mbn.img --root-hash <hex>',
  );
  const fsg = withExample(
    qcom
      .command('fsg')
      .description('signed FSG golden EFS images (MBN v3): keys, sign, .img, inspect, verify as the modem does'),
    'nv qcom fsg keygen -o keys --hw-id 0x009600E100000000 --sw-id 0x0',
  );

  withExample(
    fsg
      .command('keygen')
      .description(
        'customer root CA and attestation CA (RSA, PKCS#8 keys 0600), root hash and the fs_signed_img_param.c fragment',
      )
      .requiredOption('-o, --output <dir>', 'keys folder to create')
      .option('--sw-id <id>', 'FS_SIGNED_IMG_SOFTWARE_ID (64-bit, dec or 0x hex)', '0x0')
      .option('--hw-id <id>', 'FS_SIGNED_IMG_MSM_HW_ID, all 16 hex digits', '0x0000000000000000')
      .option('--oem-id <id>', 'OEM_ID (16-bit; default: from the HW_ID)')
      .option('--model-id <id>', 'MODEL_ID (16-bit; default: from the HW_ID)')
      .option('--org <name>', 'organisation in the certificate names', 'Customer')
      .addOption(
        new Option('--key-bits <bits>', 'RSA key size').choices(['2048', '4096'] as const).default('2048' as const),
      )
      .addOption(
        new Option('--exponent <e>', 'RSA public exponent').choices(['65537', '3'] as const).default('65537' as const),
      )
      .option('--not-before <date>', 'validity start (ISO date; 7300 days)')
      .option('--serial-seed <text>', 'derive certificate serials from this text (reproducible output)')
      .option('--force', 'replace a non-empty output folder')
      .action(async (opts) => {
        const { fsgKeygen } = await import('../actions/qcom-fsg.ts');
        await fsgKeygen(context(), opts);
      }),
    'nv qcom fsg keygen -o keys --org Acme --hw-id 0x009600E100000000 --sw-id 0x0',
  );

  withExample(
    fsg
      .command('sign')
      .description(
        'MBN v3 header + HMAC-like SHA-256 + raw RSA type-1 signature + 6144-byte certificate chain; verified before writing',
      )
      .argument('<tar.gz>', 'fs_image.tar.gz')
      .option(
        '--keys <dir>',
        'keys folder from keygen (reads ca.key.pem, ca.crt.pem, root.crt.pem; never root.key.pem)',
      )
      .requiredOption('--hw-id <id>', 'FS_SIGNED_IMG_MSM_HW_ID of the modem build (0x + 16 hex digits)')
      .requiredOption('--sw-id <id>', 'FS_SIGNED_IMG_SOFTWARE_ID of the modem build (0x0 on 3.x, 0x1B later)')
      .option('--oem-id <id>', 'OEM_ID OU (default: from the HW_ID)')
      .option('--model-id <id>', 'MODEL_ID OU (default: from the HW_ID)')
      .option('--attest-cert <file>', 'fixed attestation certificate (PEM/DER) instead of a fresh one per image')
      .option('--attest-key <file>', 'fixed attestation private key (PEM)')
      .option(
        '--signer-cmd <command>',
        'external signer: reads the 32-byte digest on stdin, writes the raw signature (needs --attest-cert)',
      )
      .option('--ca-cert <file>', 'attestation CA certificate (instead of --keys)')
      .option('--root-cert <file>', 'root certificate (instead of --keys)')
      .option('--not-before <date>', 'attestation validity start (ISO date)')
      .option('--serial-seed <text>', 'derive the attestation serial from this text (byte-stable output)')
      .option('--allow-test-root', 'allow publicly known test keys (lab use only)')
      .option('--meta <file>', 'efs_image_meta.bin: refuse a tar.gz larger than the golden EFS buffer')
      .requiredOption('-o, --output <file>', 'the signed .mbn')
      .option('--force', 'overwrite the output file')
      .action(async (input, opts) => {
        const { fsgSign } = await import('../actions/qcom-fsg.ts');
        await fsgSign(context(), input, opts);
      }),
    'nv qcom fsg sign fs_image.tar.gz --keys keys --hw-id 0x009600E100000000 --sw-id 0x0 -o fs_image.tar.gz.mbn',
  );

  withExample(
    fsg
      .command('unwrap')
      .description(
        'the payload (fs_image.tar.gz) of a signed .mbn, .img or fsg dump exactly as signed, and the old root hash: unwrap → sign with your keys → img re-keys a stock image',
      )
      .argument('<image>', '.img, .mbn or fsg partition dump')
      .requiredOption('-o, --output <fs_image.tar.gz>', 'the payload to write')
      .option('--force', 'overwrite the output file')
      .action(async (input, opts) => {
        const { fsgUnwrap } = await import('../actions/qcom-fsg.ts');
        await fsgUnwrap(context(), input, opts);
      }),
    'nv qcom fsg unwrap fsg.bin -o fs_image.tar.gz --json',
  );

  withExample(
    fsg
      .command('img')
      .description('prepend the 512-byte EFS image sector (dest from efs_image_meta.bin) to a bare .mbn')
      .argument('<mbn>', 'fs_image.tar.gz.mbn')
      .option('--meta <file>', 'efs_image_meta.bin of the same modem build')
      .addOption(
        new Option('-p, --partition <p>', 'target partition')
          .choices(['FSG', 'FS1', 'FS2'] as const)
          .default('FSG' as const),
      )
      .requiredOption('-o, --output <file>', 'the .img')
      .option('--force', 'overwrite the output file')
      .action(async (input, opts) => {
        const { fsgImg } = await import('../actions/qcom-fsg.ts');
        await fsgImg(context(), input, opts);
      }),
    'nv qcom fsg img fs_image.tar.gz.mbn --meta efs_image_meta.bin -o fs_image.tar.gz.mbn.img',
  );

  withExample(
    fsg
      .command('inspect')
      .description('header, code, signature, chain and OU fields of a .mbn, .img or fsg partition dump')
      .argument('<file>', '.mbn, .img or fsg dump')
      .action(async (input) => {
        const { fsgInspect } = await import('../actions/qcom-fsg.ts');
        await fsgInspect(context(), input);
      }),
    'nv qcom fsg inspect fsg.bin --json',
  );

  withExample(
    fsg
      .command('verify')
      .description(
        "everything the modem checks, in its order, with the modem's error names; exit 1 when the modem would refuse",
      )
      .argument('<file>', '.mbn, .img or fsg dump')
      .option('--root-hash <hex>', 'FS_SIGNED_IMG_ROOT_HASH of the modem build')
      .option('--root <cert>', 'root certificate (PEM/DER) or keys folder instead of --root-hash')
      .option('--hw-id <id>', 'FS_SIGNED_IMG_MSM_HW_ID of the modem build (0x + 16 hex digits)')
      .option('--sw-id <id>', 'FS_SIGNED_IMG_SOFTWARE_ID of the modem build')
      .option('--meta <file>', 'efs_image_meta.bin (GOLDEN_RAM_SIZE check)')
      .option('--fuse-root-hash <hex>', 'fused root hash (secure-boot fused device)')
      .option('--fuse-hw-id <id>', 'fused HW_ID')
      .option('--allow-dummy-key', 'the modem is built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY')
      .option('--as-partition', 'the file is what is flashed to fsg (a bare .mbn is an error)')
      .option('--strict', 'a publicly known test root is an error')
      .action(async (input, opts) => {
        const { fsgVerify } = await import('../actions/qcom-fsg.ts');
        await fsgVerify(context(), input, opts);
      }),
    'nv qcom fsg verify fs_image.tar.gz.mbn.img --root keys --hw-id 0x009600E100000000 --sw-id 0x0',
  );

  withExample(
    fsg
      .command('root-hash')
      .description('FS_SIGNED_IMG_ROOT_HASH: SHA-256 of the root DER (several roots: of their concatenation)')
      .argument('<cert-or-keys-dir...>', 'root certificate(s) (PEM/DER) or a keys folder')
      .option('--c', 'print the fs_signed_img_param.c lines')
      .option('--hw-id <id>', 'add the FS_SIGNED_IMG_MSM_HW_ID line (with --c)')
      .option('--sw-id <id>', 'add the FS_SIGNED_IMG_SOFTWARE_ID line (with --c)')
      .action(async (inputs, opts) => {
        const { fsgRootHash } = await import('../actions/qcom-fsg.ts');
        await fsgRootHash(context(), inputs, opts);
      }),
    'nv qcom fsg root-hash keys --c --hw-id 0x009600E100000000 --sw-id 0x0',
  );
};
