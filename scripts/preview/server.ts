/**
 * The preview's web server on 127.0.0.1: the dashboard page (the panel's own page builder, with this server
 * standing in for `webview.cspSource`), the theme's variables, the fixture, the fake host, the webview bundle
 * and the dashboard's stylesheet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardPageHtml } from '../../src/host/dashboardPage';
import type { PreviewBundles } from './bundles';
import { fixtureScript, type Fixtures } from './fixtures';
import { THEMES, themeCss, themeNamed } from './themes';

function page(url: URL, origin: string): string {
  const theme = themeNamed(url.searchParams.get('theme'));
  const mode = url.searchParams.get('mode') ?? 'finished';
  const locale = url.searchParams.get('locale') ?? 'en';
  const query = `mode=${encodeURIComponent(mode)}&locale=${encodeURIComponent(locale)}`;
  return dashboardPageHtml({
    cspSource: origin,
    language: locale,
    title: 'Fashion-MNIST dashboard preview',
    styles: [`${origin}/preview/theme.css?theme=${theme}`, `${origin}/media/dashboard.css`],
    scripts: [`${origin}/preview/fixture.js?${query}`, `${origin}/preview/fakeHost.js`, `${origin}/dist/webview.js`],
    bodyClass: THEMES[theme].bodyClass,
  });
}

export async function startServer(root: string, bundles: PreviewBundles, fixtures: Fixtures, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reply = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/favicon.ico') return reply('image/x-icon', '');
      if (url.pathname === '/') return reply('text/html; charset=utf-8', page(url, origin));
      if (url.pathname === '/preview/theme.css') return reply('text/css', themeCss(themeNamed(url.searchParams.get('theme'))));
      if (url.pathname === '/preview/fakeHost.js') return reply('text/javascript', bundles.fakeHost);
      if (url.pathname === '/preview/fixture.js') {
        return reply('text/javascript', fixtureScript(root, fixtures, url.searchParams.get('mode') ?? 'finished', url.searchParams.get('locale') ?? 'en'));
      }
      if (url.pathname === '/dist/webview.js') return reply('text/javascript', bundles.webview);
      if (url.pathname === '/media/dashboard.css') return reply('text/css', readFileSync(join(root, 'media/dashboard.css')));
    } catch (error) {
      res.writeHead(500);
      return res.end(String(error));
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}
