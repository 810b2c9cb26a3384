namespace Igor.GitHubActions.Contracts; internal static class Placeholder;
