-- A pandoc writer for the post's list: the HTML of each group of exemplars, in one JSON array.
--
-- Input: one Div of class "exemplar-group" per group (written with it), holding the group's items
-- (Div.exemplar, id = key), with `--citeproc` already run. Citeproc writes each entry as a Div
-- "ref-KEY" in the bibliography Div "refs"; each entry moves into its own item, in place of the
-- item's empty Div.exemplar-reference, keeping the id the citation's link and Quarto's hover
-- pop-up look for. The bibliography itself is not written: each reference appears once, in its item.
function Writer(doc, opts)
  local entries = {}
  doc:walk({
    Div = function(div)
      if div.identifier:match("^ref%-") then
        entries[div.identifier] = div
      end
    end,
  })
  local function with_reference(item)
    local entry = entries["ref-" .. item.identifier]
    return item:walk({
      Div = function(div)
        if div.classes:includes("exemplar-reference") then
          if not entry then
            return {}
          end
          -- Without the class csl-entry, for which pandoc writes role="listitem": the entry
          -- stands alone in its item, in no list.
          return pandoc.Div(entry.content, pandoc.Attr(entry.identifier, { "exemplar-reference" }))
        end
      end,
    })
  end
  local groups = {}
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.classes:includes("exemplar-group") then
      local items = {}
      for _, item in ipairs(block.content) do
        items[#items + 1] = (item.t == "Div" and item.classes:includes("exemplar")) and with_reference(item) or item
      end
      block.content = items
      groups[#groups + 1] = pandoc.write(pandoc.Pandoc({ block }), "html", opts)
    end
  end
  return pandoc.json.encode(groups)
end
