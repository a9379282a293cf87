import type { AdView } from "../../types/views";

/** The dashboard's ad: always labelled "Sponsored", and a link that passes no referrer or opener. */
export function SponsoredAd({ ad }: { ad: AdView }) {
  return (
    <aside className="card ad" aria-label="Sponsored">
      <p className="ad__label">Sponsored</p>
      <a className="ad__link" href={ad.clickUrl} rel="sponsored noopener noreferrer" target="_blank">
        <img src={ad.imageUrl} width={ad.imageWidth} height={ad.imageHeight} alt="" className="ad__image" />
        <span className="ad__title">{ad.title}</span>
      </a>
      <p className="ad__body">{ad.body}</p>
      <p className="ad__sponsor">{ad.sponsor}</p>
    </aside>
  );
}
