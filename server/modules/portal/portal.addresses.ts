// The portal's addresses that other modules put in what they send residents (a tracking link
// in an acknowledgement or update, a signing link in a release request). Pure: no imports, so
// any module may use them without depending on the portal's pages.

/** A request's tracking page. */
export const trackingPath = (slug: string, token: string) => `/portal/${slug}/track/${token}`;

/** A privacy release's signing page. */
export const releasePath = (slug: string, token: string) => `/portal/${slug}/release/${token}`;
