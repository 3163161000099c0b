-- A pandoc writer: each bibliography entry citeproc made, as Markdown, in one JSON object
-- keyed by citation key. Citeproc writes entry KEY as a div with the id "ref-KEY".
function Writer(doc, opts)
  local entries = {}
  doc:walk({
    Div = function(div)
      local key = div.identifier:match("^ref%-(.+)$")
      if key then
        local entry = pandoc.Pandoc(div.content)
        entries[key] = pandoc.write(entry, "markdown", { wrap_text = "wrap-none" })
      end
    end,
  })
  return pandoc.json.encode(entries)
end
