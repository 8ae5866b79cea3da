// The SCORM 1.2 package of `make dist`: imsmanifest.xml (one organization, one item, one
// resource that is a SCO) and the launch link, checked before it is written. The page's side
// of SCORM is www/scorm.js.

/** What is launched when SCORM_LAUNCH is not set: the practice panel alone, framed. */
export const DEFAULT_LAUNCH = "?panel=practice&embed=1";
/** The longest launch link accepted (learning platforms store the href in short columns). */
export const MAX_LAUNCH = 1000;

const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Checks the launch link's query (`?panel=practice&q=2b`): it must start with "?", name a
 * panel that exists (`panels`), and be short. Returns the query written out again by
 * URLSearchParams (so it holds only URL-safe characters), or throws with the reason.
 */
export function launchQuery(text, panels) {
  if (!text.startsWith("?")) throw new Error(`SCORM_LAUNCH must start with "?" (such as ${DEFAULT_LAUNCH}); it is ${JSON.stringify(text)}`);
  const params = new URLSearchParams(text);
  const panel = params.get("panel");
  if (panel !== null && !panels.includes(panel)) throw new Error(`SCORM_LAUNCH names panel=${panel}; the panels are ${panels.join(", ")}`);
  const query = `?${params.toString()}`;
  if (query.length > MAX_LAUNCH) throw new Error(`SCORM_LAUNCH is ${query.length} characters long; at most ${MAX_LAUNCH}`);
  return query;
}

/** A title for the package from its launch link: "Backprop Lab: practice 2b" and the like. */
export function launchTitle(query) {
  const params = new URLSearchParams(query);
  const bits = [params.get("panel"), params.get("q"), params.get("goal") && `goal ${params.get("goal")}`].filter(Boolean);
  return bits.length ? `Backprop Lab: ${bits.join(" ")}` : "Backprop Lab";
}

/** imsmanifest.xml for the page at index.html launched with `query`, listing `files`. */
export function scormManifest({ query, title, files, identifier = "backprop-lab" }) {
  const list = files.map((file) => `      <file href="${escapeXml(file)}"/>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${escapeXml(identifier)}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="${escapeXml(identifier)}-organization">
    <organization identifier="${escapeXml(identifier)}-organization">
      <title>${escapeXml(title)}</title>
      <item identifier="${escapeXml(identifier)}-item" identifierref="${escapeXml(identifier)}-page" isvisible="true">
        <title>${escapeXml(title)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="${escapeXml(identifier)}-page" type="webcontent" adlcp:scormtype="sco" href="${escapeXml(`index.html${query}`)}">
${list}
    </resource>
  </resources>
</manifest>
`;
}
