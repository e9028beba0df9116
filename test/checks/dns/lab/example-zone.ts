import type { LabSpec } from './takeover-lab.js';
import { pages } from './provider-pages.js';

/** A BIND zone with one record per takeover case; the lab below answers for every target it names. */
export const EXAMPLE_ZONE = `$ORIGIN example.test.
$TTL 1h
@       IN SOA ns1.example.test. hostmaster.example.test. (
            2026112301 ; serial
            2h 15m 2w 1d )
        IN NS  ns1.example.test.
ns1     300 IN A 192.0.2.53
static      CNAME static.example.test.s3-website-us-east-1.amazonaws.com.
assets      CNAME assets-bucket.s3.amazonaws.com.
other       CNAME other.example.test.s3-website-us-east-1.amazonaws.com.
private     CNAME private.example.test.s3-website-us-east-1.amazonaws.com.
nosite      CNAME nosite.example.test.s3-website-us-east-1.amazonaws.com.
regional    CNAME data-123456789012-us-east-1-an.s3.us-east-1.amazonaws.com.
healthy     CNAME healthy.example.test.s3-website-us-east-1.amazonaws.com.
app         CNAME contoso-app.azurewebsites.net.
bound       CNAME bound-app.azurewebsites.net.
asuid.bound TXT   "3F2504E04F8911D39A0C0305E82C3301"
unique      CNAME shop-a1b2c3d4e5f6g7h8.eastus-01.azurewebsites.net.
extbound    CNAME extbound-app.azurewebsites.net.
eb          CNAME myenv.us-east-1.elasticbeanstalk.com.
legacy      CNAME myenv.elasticbeanstalk.com.
cdn         CNAME d111111abcdef8.cloudfront.net.
docs        CNAME acme-docs.github.io.
blog        CNAME verified-org.github.io.
_github-pages-challenge-verified-org TXT "a1b2c3d4e5"
api         CNAME acme-api.herokuapp.com.
shop        CNAME shops.myshopify.com.
www         CNAME acme.netlify.app.
edge        CNAME acme.global.fastly.net.
gone        CNAME old-service.vendor.test.
chain       CNAME alias.vendor.test.
plain       CNAME acme-site.github.io.
mail        MX 10 mx.vendor.test.
apex-v6     AAAA 2001:db8::1
        DNSKEY 257 3 13 AbCdEf==
`;

export const EXAMPLE_LAB: LabSpec = {
  names: {
    '*.s3-website-us-east-1.amazonaws.com': { A: ['127.0.0.1'] },
    '*.s3.amazonaws.com': { A: ['127.0.0.1'] },
    '*.s3.us-east-1.amazonaws.com': { A: ['127.0.0.1'] },
    'acme-docs.github.io': { A: ['127.0.0.1'] },
    'verified-org.github.io': { A: ['127.0.0.1'] },
    'acme-site.github.io': { A: ['127.0.0.1'] },
    'acme-api.herokuapp.com': { A: ['127.0.0.1'] },
    'shops.myshopify.com': { A: ['127.0.0.1'] },
    'acme.netlify.app': { A: ['127.0.0.1'] },
    'acme.global.fastly.net': { A: ['127.0.0.1'] },
    'alias.vendor.test': { CNAME: 'ghost-app.azurewebsites.net' },
    'mx.vendor.test': { A: ['127.0.0.1'] },
    // The verification TXT lives in a zone Vigil does not read: only the resolver sees it.
    'asuid.extbound.example.test': { TXT: ['3F2504E04F8911D39A0C0305E82C3302'] },
  },
  pages: {
    'static.example.test': pages.s3NoSuchBucket('static.example.test'),
    'assets.example.test': pages.s3NoSuchBucket('assets-bucket'),
    'other.example.test': pages.s3NoSuchBucket('someone-elses-bucket'),
    'private.example.test': pages.s3AccessDenied,
    'nosite.example.test': pages.s3NoSuchWebsite('nosite.example.test'),
    'regional.example.test': pages.s3NoSuchBucket('data-123456789012-us-east-1-an'),
    'docs.example.test': pages.githubPagesMissing,
    'blog.example.test': pages.githubPagesMissing,
    'api.example.test': pages.herokuMissing,
    'shop.example.test': pages.shopifyMissing,
    'www.example.test': pages.netlifyMissing,
    'edge.example.test': pages.fastlyUnknown,
    'plain.example.test': pages.plain404,
  },
};

/** Records whose answers prove nothing: SERVFAIL, a resolver that never answers, a provider page that hangs. */
export const FLAKY_ZONE = `$ORIGIN flaky.test.
flaky   CNAME broken.azurewebsites.net.
slow    CNAME slow.vendor.test.
hang    CNAME hang.flaky.test.s3-website-us-east-1.amazonaws.com.
fine    CNAME fine.vendor.test.
txtfail CNAME txtfail-app.azurewebsites.net.
`;

export const FLAKY_LAB: LabSpec = {
  names: {
    'broken.azurewebsites.net': { rcode: 'SERVFAIL' },
    'slow.vendor.test': { drop: true },
    'fine.vendor.test': { A: ['127.0.0.1'] },
    'asuid.txtfail.flaky.test': { rcode: 'SERVFAIL' },
    '*.s3-website-us-east-1.amazonaws.com': { A: ['127.0.0.1'] },
  },
  pages: { 'hang.flaky.test': { status: 200, body: '', hang: true } },
};
