// Types of the plain-Node codemod `rewrite-spec-refs.mjs`, for the TypeScript tests that import it.
export declare const ROOT: string;
export declare const FORMATS_DIR: string;
export declare const DEFAULT_ROOTS: readonly string[];
export declare const SPEC_MAP: Readonly<Record<string, { page: string; sections: Readonly<Record<string, string>> }>>;
export declare function commentRanges(text: string): [number, number][];
export declare function targetOf(spec: string, section: string): string | undefined;
export declare function rewriteSource(
  text: string,
  relPath: string,
): { text: string; rewritten: number; unmapped: { line: number; cite: string }[] };
export declare function filesOf(root: string): string[];
export declare function formatAnchors(dir?: string): Map<string, Set<string>>;
export declare function missingTargets(anchors?: Map<string, Set<string>>): string[];
export declare function citesStandard(before: string): boolean;
export declare function outsideSpecCites(comment: string): string[];
