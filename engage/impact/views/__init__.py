"""Pages of the impact app: evidence (`evidence`), impact cases (`cases`) and the body's view of
the sector (`sector`). Thin: reads through `selectors` (each starting from `visible_to`),
writes through `services`, whose refusals come back to the page on the form fields they name;
a refused action changes nothing."""
