import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config';
import { FileStorage } from './file-storage';

/**
 * The file purge against an upload of the same content at the same moment: whichever order the
 * two take, the row that refers to the file finds it on disk.
 */
describe('FileStorage removal of unreferenced files', () => {
  let dir: string;
  let storage: FileStorage;
  const content = Buffer.from('one report, held by two items');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const stored = () => join(dir, 'evidence', sha256);
  const upload = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'file-storage-'));
    storage = new FileStorage({ storage: { evidenceDir: join(dir, 'evidence') } } as AppConfig);
    await storage.storeUpload(upload('first'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should delete the file when nothing refers to it, and keep it when something does', async () => {
    await storage.removeUnreferenced(sha256, async () => true);
    expect(existsSync(stored())).toBe(true);
    await storage.removeUnreferenced(sha256, async () => false);
    expect(existsSync(stored())).toBe(false);
    // Already gone: nothing to do, no error.
    await expect(storage.removeUnreferenced(sha256, async () => false)).resolves.toBeUndefined();
  });

  it('should move the file back when a row referring to it was committed while it was being removed', async () => {
    const answers = [false, true];
    await storage.removeUnreferenced(sha256, async () => answers.shift()!);
    expect(readFileSync(stored()).equals(content)).toBe(true);
  });

  it('should let an upload of the same content restore the file removed after it found the file present', async () => {
    const second = upload('second');
    await storage.storeUpload(second);
    // The upload found the file and kept its own copy; the last other holder is removed before its row commits.
    expect(existsSync(second)).toBe(true);
    await storage.removeUnreferenced(sha256, async () => false);
    expect(existsSync(stored())).toBe(false);
    await storage.restoreIfGone(sha256, second);
    expect(readFileSync(stored()).equals(content)).toBe(true);
  });
});
