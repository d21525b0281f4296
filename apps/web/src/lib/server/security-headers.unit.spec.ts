import { NON_PAGE_CSP, secureResponse, websocketOrigins, withConnectSources } from './security-headers';

describe('portal security headers', () => {
  it('allows WebSocket origins, once each', () => {
    expect(
      websocketOrigins([
        'wss://api.example.com/api/live',
        'wss://api.example.com/api/console',
        'ws://localhost:3001/api/live',
      ]),
    ).toEqual(['wss://api.example.com', 'ws://localhost:3001']);
  });

  it("completes a page's policy with connect-src, replacing any connect-src it had", () => {
    const policy = "script-src 'self' 'nonce-abc'; connect-src *; frame-ancestors 'none'";
    expect(withConnectSources(policy, ['wss://api.example.com'])).toBe(
      "script-src 'self' 'nonce-abc'; frame-ancestors 'none'; connect-src 'self' wss://api.example.com",
    );
  });

  it('gives a page its completed policy and the other headers, keeping its cookies', () => {
    const page = new Response('<html></html>', {
      headers: { 'content-type': 'text/html', 'content-security-policy': "script-src 'self'" },
    });
    page.headers.append('set-cookie', 'a=1');
    page.headers.append('set-cookie', 'b=2');
    const secured = secureResponse(page, ['ws://localhost:3001']);
    expect(secured.headers.get('content-security-policy')).toBe(
      "script-src 'self'; connect-src 'self' ws://localhost:3001",
    );
    expect(secured.headers.get('x-content-type-options')).toBe('nosniff');
    expect(secured.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(secured.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('gives any other answer a policy allowing nothing, also when its headers are immutable', async () => {
    const immutable = Response.redirect('http://localhost:3000/login', 303);
    expect(() => immutable.headers.set('x-test', '1')).toThrow();
    const secured = secureResponse(immutable, []);
    expect(secured.status).toBe(303);
    expect(secured.headers.get('location')).toBe('http://localhost:3000/login');
    expect(secured.headers.get('content-security-policy')).toBe(NON_PAGE_CSP);
    expect(NON_PAGE_CSP).toContain("frame-ancestors 'none'");
  });
});
