// The redirect allowlist's rules, directly: which URLs are allowed, and which callback a signed
// redirect belongs to.
import { describe, expect, it } from 'vitest';
import {
  gatewayCallbackUrl,
  isAllowedRedirect,
  isRedirectOf,
} from '../../src/auth/redirect-uris.js';

describe('isAllowedRedirect', () => {
  const allowed = [
    'https://gw.example.com/oauth/callback?tenant=a',
    'http://localhost:8000/callback',
  ];

  it('matches an entry exactly, and a loopback one on any port and loopback name', () => {
    for (const uri of [
      'https://gw.example.com/oauth/callback?tenant=a',
      'http://localhost:8000/callback',
      'http://localhost:0/callback',
      'http://127.0.0.1:54321/callback',
      'http://[::1]/callback',
    ]) {
      expect(isAllowedRedirect(allowed, uri), uri).toBe(true);
    }
  });

  it('refuses the rest', () => {
    for (const uri of [
      'https://gw.example.com/oauth/callback',
      'https://gw.example.com/oauth/callback?tenant=b',
      'http://gw.example.com/oauth/callback?tenant=a',
      'https://GW.example.com.evil.example/oauth/callback?tenant=a',
      'http://localhost:8000/callback/x',
      'https://localhost:8000/callback',
      'http://localhost.evil.example:8000/callback',
      'http://10.0.0.1:8000/callback',
      'javascript:alert(1)//http://localhost:8000/callback',
      'file:///callback',
      '//localhost:8000/callback',
      '',
    ]) {
      expect(isAllowedRedirect(allowed, uri), uri).toBe(false);
    }
    expect(isAllowedRedirect([], 'http://localhost:8000/callback')).toBe(false);
  });
});

describe('isRedirectOf', () => {
  it('compares host and path; scheme and port may differ behind a proxy', () => {
    const signed = 'https://gw.example.com/oauth/callback';
    expect(isRedirectOf(signed, 'http://gw.example.com:4000/oauth/callback?code=c&state=s')).toBe(
      true,
    );
    expect(isRedirectOf(signed, 'https://other.example/oauth/callback?code=c')).toBe(false);
    expect(isRedirectOf(signed, 'https://gw.example.com/callback?code=c')).toBe(false);
    expect(
      isRedirectOf('http://127.0.0.1/oauth/callback', 'http://localhost:4000/oauth/callback'),
    ).toBe(true);
  });
});

describe('gatewayCallbackUrl', () => {
  it('brackets an IPv6 host', () => {
    expect(gatewayCallbackUrl('127.0.0.1', 4000, '/oauth/callback')).toBe(
      'http://127.0.0.1:4000/oauth/callback',
    );
    expect(gatewayCallbackUrl('::', 4000, '/cb')).toBe('http://[::]:4000/cb');
  });
});
