import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardCsp, dashboardPageHtml } from '../../src/host/dashboardPage';

test('the dashboard page loads only its own nonce-tagged scripts and styles, under a default-none policy', () => {
  const html = dashboardPageHtml({
    cspSource: 'https://webview.test',
    language: 'zh-cn',
    title: 'A <b>title</b> & "more"',
    styles: ['https://webview.test/media/dashboard.css'],
    scripts: ['https://webview.test/one.js', 'https://webview.test/dist/webview.js'],
    nonce: 'n0nce',
  });
  const csp = dashboardCsp('https://webview.test', 'n0nce');
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'nonce-n0nce'(;|$)/, 'scripts: the nonce only, no source');
  assert.ok(html.includes(`content="${csp.replace(/"/g, '&quot;')}"`));
  assert.equal(html.match(/<script nonce="n0nce" src="[^"]+"><\/script>/g)?.length, 2, 'every script carries the nonce, in order');
  assert.ok(html.indexOf('one.js') < html.indexOf('webview.js'));
  assert.ok(html.includes('<html lang="zh-cn">'));
  assert.ok(html.includes('<title>A &lt;b&gt;title&lt;/b&gt; &amp; "more"</title>'), 'the title is text, not markup');
  assert.ok(!html.includes('<script>'), 'no inline script');
  const fresh = [dashboardPageHtml({ cspSource: 's', language: 'en', title: 't', styles: [], scripts: [] }), dashboardPageHtml({ cspSource: 's', language: 'en', title: 't', styles: [], scripts: [] })];
  assert.notEqual(fresh[0].match(/nonce-(\w+)/)?.[1], fresh[1].match(/nonce-(\w+)/)?.[1], 'a fresh nonce per page');
});
