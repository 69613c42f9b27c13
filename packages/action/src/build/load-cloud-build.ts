/**
 * Loads dist/cloud-build.cjs next to the running bundle. The specifier is a variable so esbuild leaves
 * the import alone (a literal would be bundled into main.cjs); from sources (tests) the module itself
 * is imported instead.
 */
export type CloudBuildModule = typeof import('./cloud-build-chunk');

/** The cloud build module: the sibling bundle when running from dist/, the source module otherwise. */
export async function loadCloudBuild(): Promise<CloudBuildModule> {
  const bundled = typeof __filename === 'string' && __filename.endsWith('.cjs');
  const specifier = bundled ? './cloud-build.cjs' : './cloud-build-chunk';
  const mod = (await import(specifier)) as CloudBuildModule & { default?: CloudBuildModule };
  return typeof mod.runCloudBuild === 'function' ? mod : (mod.default as CloudBuildModule);
}
