import openai
c = openai.OpenAI(c["k"])
