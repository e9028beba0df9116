/** The providers' "unclaimed" pages as the research recorded them (§1.7), and pages of resources that do exist. */
export const pages = {
  s3NoSuchBucket: (bucket: string) => ({
    status: 404,
    body: `<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><ul><li>Code: NoSuchBucket</li><li>Message: The specified bucket does not exist</li><li>BucketName: ${bucket}</li><li>RequestId: 7Q4ZB</li></ul></body></html>`,
  }),
  s3AccessDenied: { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' },
  s3NoSuchWebsite: (bucket: string) => ({
    status: 404,
    body: `<ul><li>Code: NoSuchWebsiteConfiguration</li><li>Message: The specified bucket does not have a website configuration</li><li>BucketName: ${bucket}</li></ul>`,
  }),
  githubPagesMissing: { status: 404, body: "<title>Site not found &middot; GitHub Pages</title><h1>404</h1><p><strong>There isn't a GitHub Pages site here.</strong></p>" },
  herokuMissing: { status: 404, body: '<title>Heroku | No such app</title><iframe src="//www.herokucdn.com/error-pages/no-such-app.html"></iframe>' },
  shopifyMissing: { status: 404, body: '<div id="shop-not-found"><h1>Sorry, this shop is currently unavailable.</h1></div>' },
  netlifyMissing: { status: 404, body: 'Not Found - Request ID: 01HX2B3C4D' },
  fastlyUnknown: { status: 500, body: 'Fastly error: unknown domain: www.example.test' },
  plain404: { status: 404, body: '<h1>404 Not Found</h1>' },
} as const;
