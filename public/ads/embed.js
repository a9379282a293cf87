/*
 * Northwind Bank ads for partner pages. Include once, anywhere on the page:
 *   <div data-ad-placement="sidebar"></div>   (sidebar, banner or inline)
 *   <script src="https://<our app>/ads/embed.js" async></script>
 * Plain ES2017, no dependencies, no globals. Ads are built with DOM APIs (never
 * innerHTML), requests carry no cookies, and any failure leaves the slot empty
 * without throwing into the page. A slot's data-ad-state says what happened:
 * loading, filled or empty.
 */
(function () {
  "use strict";
  // The reserved box per placement (its ad format); creatives are scaled to fit it.
  var SIZES = { sidebar: [300, 250], banner: [728, 90], inline: [600, 200] };
  var IMAGE_URL = /^(https?:\/\/|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,)/i;
  var FONT = "font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;";
  var RESET = "margin:0;padding:0;border:0;box-sizing:border-box;text-align:left;text-transform:none;letter-spacing:normal;";

  // Only readable while this script first runs, so it is taken now.
  var script = document.currentScript;
  // Quiet on partners' pages; <script data-debug …> tells a developer why a slot stayed empty.
  var debug = Boolean(script && script.hasAttribute("data-debug"));

  function report(error) {
    if (debug && window.console) window.console.warn("[ads]", error);
  }

  function el(tag, style, text) {
    var node = document.createElement(tag);
    // CSSOM, not a style attribute: partner CSPs without 'unsafe-inline' allow it.
    node.style.cssText = RESET + style;
    if (text) node.textContent = text;
    return node;
  }

  function isString(value) {
    return typeof value === "string" && value.length > 0 && value.length < 100000;
  }

  function render(slot, placement, ad) {
    var size = SIZES[placement];
    var box = el("div", FONT + "display:block;max-width:" + size[0] + "px;color:#1f2933;background:#fff;border:1px solid #d9dee3;border-radius:8px;overflow:hidden;");
    box.appendChild(el("div", "display:block;padding:4px 10px;font:600 11px/1.6 system-ui,sans-serif;color:#52606d;background:#f5f7fa;text-transform:uppercase;letter-spacing:.06em;", "Sponsored"));

    var link = el("a", "display:block;color:inherit;text-decoration:none;");
    link.href = ad.clickUrl;
    link.target = "_blank";
    link.rel = "sponsored noopener";

    var image = el("img", "display:block;width:100%;height:auto;max-width:100%;object-fit:cover;background:#eef1f4;");
    image.width = size[0];
    image.height = size[1];
    image.alt = ad.title;
    image.loading = "lazy";
    image.decoding = "async";
    image.referrerPolicy = "no-referrer";
    // A creative that fails to load leaves a text ad rather than a broken image.
    image.addEventListener("error", function () {
      image.style.display = "none";
    });
    image.src = ad.imageUrl;
    link.appendChild(image);

    var text = el("div", "display:block;padding:10px 12px 12px;");
    text.appendChild(el("strong", "display:block;font:600 15px/1.3 system-ui,sans-serif;color:#102a43;", ad.title));
    text.appendChild(el("span", "display:block;margin-top:4px;color:#334e68;", ad.body));
    text.appendChild(el("span", "display:block;margin-top:6px;font-size:12px;color:#627d98;", ad.sponsor));
    link.appendChild(text);
    box.appendChild(link);

    slot.textContent = "";
    slot.appendChild(box);
    slot.setAttribute("data-ad-state", "filled");
  }

  // Only what we sent: strings, our own click route, an image the browser may load.
  function usable(ad, origin) {
    if (!ad || !isString(ad.id) || !isString(ad.title) || !isString(ad.clickUrl) || !isString(ad.imageUrl)) return false;
    if (typeof ad.body !== "string" || typeof ad.sponsor !== "string") return false;
    if (!IMAGE_URL.test(ad.imageUrl)) return false;
    try {
      return new URL(ad.clickUrl).origin === origin;
    } catch (error) {
      report(error);
      return false;
    }
  }

  function fill(placement, slots, origin) {
    return fetch(origin + "/api/ads?placement=" + encodeURIComponent(placement), {
      credentials: "omit",
      mode: "cors",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.ok) return response.json();
        report("GET /api/ads answered " + response.status);
        return null;
      })
      .then(function (data) {
        var ads = data && Array.isArray(data.ads) ? data.ads.filter(function (ad) { return usable(ad, origin); }) : [];
        slots.forEach(function (slot, index) {
          // Several slots of one placement show different ads while there are enough.
          var ad = ads[index % Math.max(ads.length, 1)];
          if (ad) {
            try {
              render(slot, placement, ad);
              return;
            } catch (error) {
              report(error);
            }
          }
          slot.setAttribute("data-ad-state", "empty");
        });
      })
      .catch(function (error) {
        report(error);
        slots.forEach(function (slot) {
          slot.setAttribute("data-ad-state", "empty");
        });
      });
  }

  function run() {
    try {
      var origin = new URL(script.src).origin;
      var byPlacement = {};
      var nodes = document.querySelectorAll("[data-ad-placement]");
      for (var i = 0; i < nodes.length; i += 1) {
        var slot = nodes[i];
        // Taken already (the script included twice, say).
        if (slot.hasAttribute("data-ad-state")) continue;
        var placement = slot.getAttribute("data-ad-placement");
        if (!Object.prototype.hasOwnProperty.call(SIZES, placement)) {
          slot.setAttribute("data-ad-state", "empty");
          continue;
        }
        slot.setAttribute("data-ad-state", "loading");
        (byPlacement[placement] = byPlacement[placement] || []).push(slot);
      }
      Object.keys(byPlacement).forEach(function (placement) {
        fill(placement, byPlacement[placement], origin);
      });
    } catch (error) {
      // Never the partner's problem.
      report(error);
    }
  }

  try {
    if (!script || !script.src) return;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  } catch (error) {
    report(error);
  }
})();
