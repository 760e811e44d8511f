// Entry point VS Code calls in the extension host (--extensionTestsPath): runs the mocha suite and rejects when a
// test fails. Mocha is bundled in with the tests: its package is ESM, which older extension hosts cannot require.
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 120_000, reporter: 'spec' });
  // The tests are bundled here too, so mocha is not given files to require: the interface (suite, test, setup...)
  // is put on the global object as mocha would before requiring a file, then the bundled module is evaluated.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'extension.test.ts', mocha);
  await import('./extension.test');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} editor test${failures === 1 ? '' : 's'} failed`);
}
