import type { AdView } from "../../types/views";

/**
 * The dashboard's ad: always labelled "Sponsored"; its links pass no referrer or
 * opener. The image repeats the title link, so it is out of the tab order.
 */
export function SponsoredAd({ ad }: { ad: AdView }) {
  return (
    <aside className="card ad" aria-label="Sponsored">
      <p className="ad__label">Sponsored</p>
      <div className="ad__content">
        <a className="ad__media" href={ad.clickUrl} rel="sponsored noopener noreferrer" target="_blank" tabIndex={-1} aria-hidden="true">
          <img src={ad.imageUrl} width={ad.imageWidth} height={ad.imageHeight} alt="" className="ad__image" />
        </a>
        <div className="ad__text">
          <a className="ad__link ad__title" href={ad.clickUrl} rel="sponsored noopener noreferrer" target="_blank">
            {ad.title}
          </a>
          <p className="ad__body">{ad.body}</p>
          <p className="ad__sponsor">{ad.sponsor}</p>
        </div>
      </div>
    </aside>
  );
}
