using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.State;

internal static class StateServiceCollectionExtensions
{
    public static IServiceCollection AddStateStore(this IServiceCollection services)
    {
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IStateStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StateOptions>>().Value;
            return options.Provider switch
            {
                "Sqlite" => new SqliteStateStore(options.Sqlite.Path),
                _ => throw new OptionsValidationException(StateOptions.SectionName, typeof(StateOptions),
                    [$"State:Provider '{options.Provider}' is not available in this build (Sqlite is)"]),
            };
        });
        return services;
    }
}
