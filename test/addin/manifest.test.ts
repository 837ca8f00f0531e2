import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addinFiles } from '../../connector/routes/addin-files';

/** What the XML schema cannot check: URLs that are served, real icons, HTTPS only, a working button. */
const root = join(import.meta.dirname, '..', '..');
const manifest = readFileSync(join(root, 'manifest.xml'), 'utf8');
const app = addinFiles();
const ORIGIN = 'https://localhost:3000';

const attr = (element: string, name: string) =>
  [...manifest.matchAll(new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
const resource = (kind: 'Image' | 'Url' | 'String', id: string) =>
  new RegExp(`<bt:${kind} id="${id.replace(/\./g, '\\.')}" DefaultValue="([^"]*)"`).exec(manifest)?.[1];
const urls = [...manifest.matchAll(/DefaultValue="(\w+:\/\/[^"]*)"/g)].map((m) => m[1]!);

function pngSize(bytes: Uint8Array): [number, number] {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.slice(0, 8)]).toEqual(signature);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

async function served(url: string): Promise<Response> {
  const response = await app.request(new URL(url).pathname);
  expect(response.status, url).toBe(200);
  return response;
}

describe('manifest.xml', () => {
  it('is an Excel task pane add-in that may read and write the workbook', () => {
    expect(manifest).toMatch(/xsi:type="TaskPaneApp"/);
    expect(attr('Host', 'Name')).toEqual(['Workbook']);
    expect(manifest).toMatch(/<Permissions>ReadWriteDocument<\/Permissions>/);
    expect(attr('Set', 'Name')).toContain('ExcelApi');
    expect(/<Id>([^<]+)<\/Id>/.exec(manifest)?.[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names only HTTPS URLs on https://localhost:3000', () => {
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url.startsWith(`${ORIGIN}/`), url).toBe(true);
    expect([...manifest.matchAll(/<AppDomain>([^<]*)<\/AppDomain>/g)].map((m) => m[1])).toEqual([ORIGIN]);
    expect(manifest).not.toMatch(/http:\/\/(?!schemas\.microsoft\.com|www\.w3\.org)/);
  });

  it('every URL it names is served by the connector', async () => {
    for (const url of urls) await served(url);
  });

  it('icons are PNGs of the sizes it declares', async () => {
    const declared: Array<[string, number]> = [
      [attr('IconUrl', 'DefaultValue')[0]!, 32],
      [attr('HighResolutionIconUrl', 'DefaultValue')[0]!, 64],
      ...[...manifest.matchAll(/<bt:Image size="(\d+)" resid="([^"]+)"/g)].map(
        (m): [string, number] => [resource('Image', m[2]!)!, Number(m[1])],
      ),
    ];
    expect(declared.map(([, size]) => size)).toEqual(expect.arrayContaining([16, 32, 64, 80]));
    for (const [url, size] of declared) {
      const response = await served(url);
      expect(response.headers.get('Content-Type')).toBe('image/png');
      expect(pngSize(new Uint8Array(await response.arrayBuffer())), url).toEqual([size, size]);
    }
  });

  it('has a ribbon button that opens the same pane as the default source', () => {
    const source = attr('SourceLocation', 'DefaultValue')[0];
    expect(source).toBe(`${ORIGIN}/taskpane.html`);
    expect(manifest).toMatch(/<ExtensionPoint xsi:type="PrimaryCommandSurface">[\s\S]*<Control xsi:type="Button"/);
    const action = /<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"\/>/.exec(manifest);
    expect(resource('Url', action![1]!)).toBe(source);
  });

  it('defines every resource it refers to', () => {
    const ids = [...manifest.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(manifest, id).toMatch(new RegExp(`<bt:(Image|Url|String) id="${id.replace(/\./g, '\\.')}"`));
  });

  it('runs the pane, the ribbon command and the custom functions in one long-lived shared runtime', () => {
    expect(manifest).toMatch(/<Requirements>\s*<Sets[^>]*>[\s\S]*<Set Name="SharedRuntime" MinVersion="1\.1"\/>[\s\S]*<\/Sets>\s*<\/Requirements>\s*<DefaultSettings>/);
    expect(manifest).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1\.2"\/>/);
    const runtime = /<Runtime resid="([^"]+)" lifetime="long"\/>/.exec(manifest);
    expect(resource('Url', runtime![1]!)).toBe(`${ORIGIN}/taskpane.html`);
    const functions = /<ExtensionPoint xsi:type="CustomFunctions">([\s\S]*?)<\/ExtensionPoint>/.exec(manifest)![1]!;
    const location = (element: string) => resource('Url', new RegExp(`<${element}>\\s*<SourceLocation resid="([^"]+)"`).exec(functions)![1]!);
    expect(location('Page')).toBe(`${ORIGIN}/taskpane.html`);
    expect(location('Script')).toBe(`${ORIGIN}/taskpane.html`);
    expect(location('Metadata')).toBe(`${ORIGIN}/functions.json`);
    expect(resource('String', /<Namespace resid="([^"]+)"/.exec(functions)![1]!)).toBe('SHEETGATE');
    expect(resource('Url', attr('FunctionFile', 'resid')[0]!)).toBe(`${ORIGIN}/taskpane.html`);
    expect(manifest).toMatch(/<Action xsi:type="ExecuteFunction">\s*<FunctionName>refreshAll<\/FunctionName>/);
  });

  it('the metadata it names declares LOOKUP and ROWS, and no key', async () => {
    const metadata = (await (await served(`${ORIGIN}/functions.json`)).json()) as { functions: Array<{ id: string; parameters: { name: string }[] }> };
    expect(metadata.functions.map((f) => f.id).sort()).toEqual(['LOOKUP', 'ROWS']);
    expect(JSON.stringify(metadata)).not.toMatch(/sg[tk]_|api.?key/i);
  });

  // The schemas live in the repository (see office-manifest-xsd/README.md), so any clone can run this.
  const schema = join(import.meta.dirname, 'office-manifest-xsd', 'OfficeAppManifestV1_1.xsd');
  // Skipped only off CI where xmllint is missing: .ci/run installs it, so CI always validates.
  const noXmllint = !process.env.CI && !existsSync('/usr/bin/xmllint');
  it.skipIf(noXmllint)('validates against the Office manifest schemas', () => {
    const result = spawnSync('xmllint', ['--noout', '--schema', schema, join(root, 'manifest.xml')], { encoding: 'utf8' });
    expect(result.stderr.trim()).toMatch(/manifest\.xml validates$/);
    expect(result.status).toBe(0);
  });

  it.skipIf(noXmllint)('the schema check fails on a manifest it should refuse', () => {
    const broken = manifest.replace('lifetime="long"', 'lifetime="forever"');
    const result = spawnSync('xmllint', ['--noout', '--schema', schema, '-'], { input: broken, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/lifetime/);
  });
});
