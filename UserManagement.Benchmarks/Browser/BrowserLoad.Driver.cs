using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UserManagement.Benchmarks.Browser;

public sealed partial class BrowserLoad
{
    /// <summary>
    /// One browser context's loop: page, sort and search the list and, with owned users, open one, rename it and
    /// save. It moves between the list and the editor with <c>Blazor.navigateTo</c>, so the circuit it opened at
    /// the start serves it to the end (a reload would open a new circuit per step and measure start-up instead).
    /// </summary>
    private sealed class Driver(
        IPage page, int index, IReadOnlyList<string> owned, WriteLedger ledger, ErrorCounter errors,
        List<double> next, List<double> search, List<double> save)
    {
        private static readonly string[] Headers = ["Name", "Email", "Role", "Status", "Created", "Updated", "Last sign-in"];

        private readonly Random _random = new(index);
        private bool _onList = true;
        private string? _lastTerm;
        private int _saves;

        public async Task RunAsync(long deadline)
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                try
                {
                    // Without owned users: 6 in 10 next page, 2 sort, 2 search. With them: 4, 1, 2 and 3 edits.
                    var roll = _random.Next(10);
                    if (owned.Count == 0 ? roll < 6 : roll < 4)
                    {
                        await NextPageAsync();
                    }
                    else if (owned.Count == 0 ? roll < 8 : roll < 5)
                    {
                        await ToListAsync();
                        var header = page.GetByRole(AriaRole.Columnheader, new() { Name = Headers[_random.Next(Headers.Length)] });
                        await header.Locator(".sortable-column-header").ClickAsync();
                        await WaitForRowsAsync(page);
                    }
                    else if (owned.Count == 0 || roll < 7)
                    {
                        await SearchAsync();
                    }
                    else
                    {
                        await EditAsync();
                    }
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    errors.Add(e.Message);
                }
            }
        }

        private async Task NextPageAsync()
        {
            await ToListAsync();
            var ms = await page.EvaluateAsync<double>(NextPageScript);
            if (ms == -2)
            {
                errors.Add($"next page showed no new rows within 10 s on {page.Url}");
            }
            else if (ms >= 0)
            {
                Add(next, ms);
            }
            else
            {
                // The last page: start again from the first, in the same circuit.
                await NavigateAsync("/users");
                await WaitForRowsAsync(page);
            }
        }

        private async Task SearchAsync()
        {
            await ToListAsync();
            var term = SearchTerms[_random.Next(SearchTerms.Length)];
            while (term == _lastTerm)
            {
                term = SearchTerms[_random.Next(SearchTerms.Length)];
            }

            _lastTerm = term;
            var ms = await page.EvaluateAsync<double>(SearchScript, term);
            if (ms == -2)
            {
                errors.Add($"search '{term}' never showed its rows");
            }
            else if (ms >= 0)
            {
                Add(search, Math.Max(0, ms - DebounceMilliseconds));
            }
        }

        private async Task EditAsync()
        {
            var userId = owned[_saves % owned.Count];
            var name = string.Create(CultureInfo.InvariantCulture, $"Load C{index:000} S{_saves:00000}");
            _saves++;
            // From the list, so that the editor is a fresh component that loads this user.
            await ToListAsync();
            await NavigateAsync($"/users/{userId}");
            _onList = false;
            var field = page.GetByLabel("Name", new() { Exact = true });
            await Assertions.Expect(field).ToHaveValueAsync(new Regex(".+"), new() { Timeout = 30_000 });
            await field.FillAsync(name);
            await field.PressAsync("Tab");
            var ms = await page.EvaluateAsync<double>(SaveScript);
            if (ms >= 0)
            {
                Add(save, ms);
                ledger.Acknowledged(userId, name);
            }
            else
            {
                ledger.Unacknowledged();
                errors.Add(ms switch
                {
                    -1 => "the Save button was missing or disabled",
                    -2 => "a save showed nothing within 10 s",
                    _ => "a save showed a snackbar other than \"Changes saved.\"",
                });
            }
        }

        private async Task ToListAsync()
        {
            if (!_onList)
            {
                await NavigateAsync("/users");
                await WaitForRowsAsync(page);
                _onList = true;
                _lastTerm = null;
            }
        }

        private async Task NavigateAsync(string url) => await page.EvaluateAsync("url => Blazor.navigateTo(url)", url);

        private static void Add(List<double> samples, double ms)
        {
            lock (samples)
            {
                samples.Add(ms);
            }
        }
    }
}
