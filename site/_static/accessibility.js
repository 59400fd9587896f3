// Two gaps of the theme that axe-core reports as serious, closed at page load:
// - the collapsible sections of the navigation (<summary> with an icon only) get a name;
// - the search button's aria-label ("Search") hides its visible text ("Search Ctrl+K"):
//   its accessible name becomes its visible text.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("summary").forEach((summary) => {
    if (!summary.textContent.trim() && !summary.getAttribute("aria-label")) {
      const link = summary.parentElement?.parentElement?.querySelector(":scope > a");
      const what = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", `Show or hide the pages of ${what}`);
    }
  });
  document.querySelectorAll(".search-button-field[aria-label]").forEach((button) => {
    button.removeAttribute("aria-label");
  });
});
