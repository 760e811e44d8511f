-- Drives Neovim's built-in LSP client against Health Data Lint's language server, headless, for
-- test/neovim.test.ts: a second real client, so the server is held to the protocol and not to VS Code's habits.
-- Written for Debian's Neovim 0.7.2 (vim.lsp.start_client + buf_attach_client; vim.lsp.start is 0.8+).
--
-- Run as `nvim --headless --clean -u lsp-session.lua`, with:
--   HDL_NODE, HDL_SERVER   the node executable and dist/server.js (started with --stdio)
--   HDL_ROOT, HDL_FILE     the workspace root (root_dir) and the absolute path of the file to open
--   HDL_OUTPUT             where to write what Neovim saw, as JSON (stdout carries nvim's own noise)
--   HDL_TIMEOUT_MS         bound of each wait for the server
--   HDL_STARTED_AT_MS      wall-clock ms when the test spawned nvim, to time the first diagnostic from there
--   HDL_DELETE_LINE        optional 1-based line deleted from the buffer once the first diagnostics are in
--
-- Hover and code actions are asked the way Neovim's own commands ask them (cursor position converted by
-- make_position_params, line diagnostics converted back by get_line_diagnostics, as vim.lsp.buf.code_action()
-- does), so a server that only matches what VS Code sends back fails here.

local SOURCE = 'health-data-lint'
local env = vim.env
local output = { events = {}, log = {} }

local function wall_ms()
  local seconds, microseconds = vim.loop.gettimeofday()
  return seconds * 1000 + microseconds / 1000
end

local started_at = tonumber(env.HDL_STARTED_AT_MS) or wall_ms()
local timeout_ms = tonumber(env.HDL_TIMEOUT_MS) or 60000
output.events.init_ms = wall_ms() - started_at

-- Every notification the client receives gets a sequence number, so "a publication after the edit, then an
-- idle status after that publication" can be waited for without sleeping.
local sequence = 0
local last_publication = { seq = -1 }
local last_status = { seq = -1 }

local function next_seq()
  sequence = sequence + 1
  return sequence
end

local function fail(message)
  error({ hdl = message })
end

local function wait_for(what, predicate)
  if not vim.wait(timeout_ms, predicate, 20) then fail('timed out after ' .. timeout_ms .. ' ms waiting for ' .. what) end
end

local function our_diagnostics(bufnr)
  local shown = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == SOURCE then
      local lsp = d.user_data and d.user_data.lsp or {}
      table.insert(shown, {
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        end_col = d.end_col,
        severity = d.severity,
        message = d.message,
        source = d.source,
        -- 0.7.2 keeps the LSP code at the top level and (deprecated) under user_data.lsp.code.
        code = d.code or lsp.code,
        href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
        related = lsp.relatedInformation and #lsp.relatedInformation or 0,
      })
    end
  end
  table.sort(shown, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return shown
end

local function request(bufnr, method, params)
  local responses, failure = vim.lsp.buf_request_sync(bufnr, method, params, timeout_ms)
  if not responses then fail(method .. ' got no answer: ' .. tostring(failure)) end
  for _, response in pairs(responses) do
    if response.err then fail(method .. ' failed: ' .. vim.inspect(response.err)) end
    return response.result
  end
  return nil
end

-- Hover and code actions at one diagnostic, with the cursor put where a user would put it.
local function inspect_diagnostic(bufnr, diagnostic)
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  local hover = request(bufnr, 'textDocument/hover', vim.lsp.util.make_position_params())
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local actions = request(bufnr, 'textDocument/codeAction', params)
  local contents = hover and hover.contents
  return {
    lnum = diagnostic.lnum,
    code = diagnostic.code,
    hover = contents and { kind = contents.kind or vim.NIL, value = contents.value or contents } or vim.NIL,
    sent_diagnostics = #params.context.diagnostics,
    code_actions = actions or {},
  }
end

local function run()
  local bufnr
  local file_uri = vim.uri_from_fname(env.HDL_FILE)
  local client_id = vim.lsp.start_client({
    name = SOURCE,
    cmd = { env.HDL_NODE or 'node', env.HDL_SERVER, '--stdio' },
    root_dir = env.HDL_ROOT,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        if result and result.uri == file_uri then
          last_publication = { seq = next_seq(), count = #result.diagnostics }
        end
      end,
      ['healthDataLint/status'] = function(_, result)
        last_status = { seq = next_seq(), state = result and result.state }
      end,
      ['window/logMessage'] = function(_, result)
        if result then table.insert(output.log, result.message) end
      end,
      ['window/showMessage'] = function(_, result)
        if result then table.insert(output.log, 'showMessage: ' .. result.message) end
      end,
    },
  })
  if not client_id then fail('vim.lsp.start_client did not start the server') end
  -- The test checks the server is gone once nvim has quit (and kills it by this pid if not).
  output.server_pid = vim.lsp.get_client_by_id(client_id).rpc.pid

  vim.cmd('edit ' .. vim.fn.fnameescape(env.HDL_FILE))
  bufnr = vim.api.nvim_get_current_buf()
  output.filetype = vim.bo[bufnr].filetype
  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail('vim.lsp.buf_attach_client refused the buffer') end

  -- The analysis of the whole folder is done when our diagnostics are in and the server says it is idle after them.
  wait_for('the first diagnostics from ' .. SOURCE, function()
    return #our_diagnostics(bufnr) > 0
  end)
  output.events.first_diagnostic_ms = wall_ms() - started_at
  wait_for('the server to be idle after publishing', function()
    return last_status.state == 'idle' and last_status.seq > last_publication.seq
  end)
  output.events.idle_ms = wall_ms() - started_at

  local client = vim.lsp.get_client_by_id(client_id)
  local capabilities = client.server_capabilities or {}
  output.server_capabilities = { hover = capabilities.hoverProvider or vim.NIL, code_action = capabilities.codeActionProvider or vim.NIL }
  output.diagnostics = our_diagnostics(bufnr)
  output.inspected = {}
  for _, diagnostic in ipairs(output.diagnostics) do
    table.insert(output.inspected, inspect_diagnostic(bufnr, diagnostic))
  end

  local delete_line = tonumber(env.HDL_DELETE_LINE)
  if delete_line then
    -- An edit that is never saved: the server must analyse the buffer it got through didChange, not the disk.
    local before = last_publication.seq
    output.deleted_text = vim.api.nvim_buf_get_lines(bufnr, delete_line - 1, delete_line, true)[1]
    local edited_at = wall_ms()
    vim.api.nvim_buf_set_lines(bufnr, delete_line - 1, delete_line, true, {})
    output.modified = vim.bo[bufnr].modified
    wait_for('diagnostics published after the edit', function()
      return last_publication.seq > before and last_status.state == 'idle' and last_status.seq > last_publication.seq
    end)
    output.events.edit_to_diagnostics_ms = wall_ms() - edited_at
    output.diagnostics_after_edit = our_diagnostics(bufnr)
  end
end

local function write_output()
  local file = assert(io.open(env.HDL_OUTPUT, 'w'))
  file:write(vim.fn.json_encode(output))
  file:close()
end

local function main()
  output.nvim = vim.version()
  local ok, problem = pcall(run)
  if not ok then output.error = type(problem) == 'table' and problem.hdl or tostring(problem) end
  local written, write_problem = pcall(write_output)
  if not written then io.stderr:write('cannot write ' .. tostring(env.HDL_OUTPUT) .. ': ' .. tostring(write_problem) .. '\n') end
  -- :qa! stops the client (shutdown, exit) through Neovim's own exit handler; :cquit says something failed.
  vim.cmd((ok and written) and 'qa!' or 'cquit 1')
end

-- After VimEnter, filetype detection is on (it is enabled after -u runs), so didOpen carries languageId typescript.
-- `nested`: without it the :edit inside this autocommand fires no BufRead, hence no filetype.
vim.api.nvim_create_autocmd('VimEnter', { once = true, nested = true, callback = main })
